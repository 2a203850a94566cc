from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from users import throttle
from users.models import User


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's log-in form, refusing for a while after too many failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": "Too many failed log-ins. Wait a few minutes, or reset your password.",
    }

    def clean(self):
        username = self.cleaned_data.get("username", "")
        if throttle.is_blocked(self.request, username):
            self.is_throttled = True
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(self.request, username)
            raise
        throttle.forget_failures(self.request, username)
        return cleaned


class SignupForm(UserCreationForm):
    email = forms.EmailField(label="E-mail address", help_text="For resetting your password.")

    class Meta:
        model = User
        fields = ["username", "email"]

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this e-mail address exists: log in or reset its password.")
        return email


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "email", "native_language", "learning_languages"]
        widgets = {"learning_languages": forms.CheckboxSelectMultiple}

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another account uses this e-mail address.")
        return email


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
