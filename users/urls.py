from django.urls import path

from users import views

app_name = "users"

urlpatterns = [
    path("login/", views.ThrottledLoginView.as_view(), name="login"),
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
    path("delete/", views.account_delete, name="account-delete"),
]
