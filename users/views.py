from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from users.forms import AccountDeleteForm, ProfileForm, SignupForm, ThrottledAuthenticationForm
from users.redirects import next_url
from users.services import delete_account


@require_http_methods(["GET", "POST"])
def signup(request):
    target = next_url(request)
    if request.user.is_authenticated:
        return redirect(target or "lookup:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user)  # with the one backend in AUTHENTICATION_BACKENDS
        messages.success(request, f"Welcome to Langtool, {user}! Search for a word and save it to a list.")
        return redirect(target or "lookup:home")
    status = 400 if form.is_bound else 200
    return render(request, "registration/signup.html", {"form": form, "next": target, "auth_page": True}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Your profile is saved.")
            return redirect("users:profile")
        return render(request, "users/profile.html", {"form": form}, status=400)
    return render(request, "users/profile.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            user = request.user
            logout(request)
            delete_account(user=user)
            messages.success(request, "Your account and your lists are deleted.")
            return redirect("lookup:home")
        return render(request, "users/account_confirm_delete.html", {"form": form}, status=400)
    return render(request, "users/account_confirm_delete.html", {"form": form})


class ThrottledLoginView(LoginView):
    """Django's log-in view; a refused log-in answers 400, or 429 while throttled."""

    authentication_form = ThrottledAuthenticationForm
    extra_context = {"auth_page": True}  # the navbar's links keep this page's next

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 429 if getattr(form, "is_throttled", False) else 400
        return response
