"""Sign-up (the API's account service behind a web form), the first-run page that leads a new
user to their profile, and password reset by e-mail (Django's views with our templates)."""

from urllib.parse import urlencode

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from marketplace.accounts import services as accounts
from marketplace.core.errors import ValidationError

from ..auth import SignedInRequest, account_required
from ..forms.accounts import SignUpForm
from ..forms.fields import add_service_errors
from ..onboarding import has_profile, remember_profile_done

# The service names the password `password`; the form asks for it twice.
SIGN_UP_ERROR_FIELDS = {"password": "password1"}


def with_next(url: str, target: str) -> str:
    return f"{url}?{urlencode({'next': target})}" if target else url


def safe_next(request: HttpRequest, default: str = "") -> str:
    """`next` from the query or the form, only when it stays on this site (no open redirect)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(safe_next(request) or reverse("frontend:dashboard"))
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, _token = accounts.user_register(**form.service_data())
        except ValidationError as error:
            add_service_errors(form, error, SIGN_UP_ERROR_FIELDS)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(with_next(reverse("frontend:welcome"), safe_next(request)))
    return render(request, "frontend/sign_up.html", {"form": form, "next": safe_next(request)})


@account_required
@require_http_methods(["GET"])
def welcome(request: SignedInRequest) -> HttpResponse:
    """First run: the one thing to do before anything else is the profile of one's role."""
    user = request.user
    if user.is_staff_member:
        raise PermissionDenied
    target = safe_next(request)
    if has_profile(user):
        remember_profile_done(request)
        return redirect(target or reverse("frontend:dashboard"))
    form_url = with_next(
        reverse("frontend:factory-profile" if user.is_factory else "frontend:streamer-profile"), target
    )
    return render(request, "frontend/welcome.html", {"form_url": form_url})


EMAIL_TEMPLATES = {
    "email_template_name": "frontend/emails/password_reset.txt",
    "subject_template_name": "frontend/emails/password_reset_subject.txt",
}

# Django's form logs a mail server failure and still shows the "sent" page: the same page
# whether or not the address has an account, so it never tells who is registered.
password_reset = auth_views.PasswordResetView.as_view(
    template_name="frontend/password_reset.html",
    success_url=reverse_lazy("frontend:password-reset-sent"),
    **EMAIL_TEMPLATES,
)
password_reset_sent = auth_views.PasswordResetDoneView.as_view(
    template_name="frontend/password_reset_sent.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="frontend/password_reset_confirm.html",
    success_url=reverse_lazy("frontend:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="frontend/password_reset_complete.html"
)
