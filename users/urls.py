from django.contrib.auth import views as auth_views
from django.urls import path

from users import views

app_name = "users"

# On the pages of signing in and of a forgotten password, the navbar's Log in and Sign up links
# do not come back to the page itself (templates/partials/navbar.html). The password-reset views
# are Django's own, at the paths django.contrib.auth.urls gives them (included after these).
AUTH_PAGE = {"auth_page": True}

urlpatterns = [
    path("login/", views.ThrottledLoginView.as_view(), name="login"),
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
    path("delete/", views.account_delete, name="account-delete"),
    path("password_reset/", auth_views.PasswordResetView.as_view(extra_context=AUTH_PAGE)),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(extra_context=AUTH_PAGE)),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(extra_context=AUTH_PAGE)),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(extra_context=AUTH_PAGE)),
]
