"""Signing in (the password, then the second factor) and a person's own account page:
two-factor sign-in, recovery codes, signing out everywhere (docs/security.md)."""

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from jobhelp.accounts.domain import sign_out_everywhere
from jobhelp.accounts.twofactor import (
    check_code,
    confirm_enrolment,
    has_two_factor,
    new_authenticator,
    pending_authenticator,
    recovery_codes_left,
    regenerate_recovery_codes,
    secret_of,
    two_factor_required,
)
from jobhelp.core import ratelimit, security
from jobhelp.core.clientip import client_ip
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.middleware import ENROL, STEP, VERIFY, pass_step, start_session
from jobhelp.staff.forms.account import CodeForm, EnrolForm

LOGIN_SCOPE = "login-address"
ENROL_KEY = "jobhelp.enrol_key"


def _safe_next(request: HttpRequest, url: str) -> str:
    """`url` if it stays on this site, else the staff home page."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _address_limits() -> dict:
    return {
        "limit": settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        "window_seconds": settings.LOGIN_ADDRESS_WINDOW_SECONDS,
    }


class LoginView(auth_views.LoginView):
    """Django's login page, with: a ceiling of failures per address over every login (above
    django-axes' per login-and-address one); a security event for each failure; and, once the
    password is right, the second factor's step (verify, or set it up when it is required)."""

    template_name = "staff/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # Read per request: tests and the demo change the setting after import.
        return {
            **super().get_context_data(**kwargs),
            "two_factor_waived": not settings.TWO_FACTOR_REQUIRED,
        }

    def post(self, request, *args, **kwargs):
        if ratelimit.used_up(LOGIN_SCOPE, client_ip(request), **_address_limits()):
            security.event("rate_limit.hit", request=request, scope=LOGIN_SCOPE)
            return render(request, "staff/lockout.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        request = self.request
        ratelimit.hit(LOGIN_SCOPE, client_ip(request), **_address_limits())
        locked = getattr(request, "axes_locked_out", False)
        security.event("sign_in.locked_out" if locked else "sign_in.failed", request=request)
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        step = VERIFY if has_two_factor(user) else ENROL if two_factor_required(user) else None
        start_session(self.request.session, step=step, next_url=self.get_success_url())
        if step == VERIFY:
            return redirect("staff:account:verify")
        if step == ENROL:
            return redirect("staff:account:enrol")
        return response


def _done(request: HttpRequest, device) -> HttpResponse:
    django_otp.login(request, device)
    return redirect(_safe_next(request, pass_step(request.session)))


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app or a recovery code."""
    if not request.user.is_authenticated:
        return redirect("staff:login")
    if not has_two_factor(request.user):
        return redirect("staff:account:enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = check_code(request.user, form.cleaned_data["code"])
        if device is not None:
            return _done(request, device)
        security.event("two_factor.failed", request=request, scope="verify")
        form.add_error("code", _("That code did not work. Check your app's clock and try again."))
    status = 400 if form.errors else 200
    return render(request, "staff/account/verify.html", {"form": form}, status=status)


def _qr_data_uri(device: TOTPDevice) -> str:
    # Drawn here, as an inline SVG: the secret never goes to a third-party QR service.
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Setting up an authenticator: the QR code and the secret of a new key (kept in the
    session until confirmed, shown for it only), then a code from the app to confirm it; the
    recovery codes are shown once after. Nothing is saved before a right code."""
    user = request.user
    if not user.is_authenticated:
        return redirect("staff:login")
    # Replacing an authenticator needs the current one first.
    if request.session.get(STEP) != ENROL and has_two_factor(user) and not user.is_verified():
        return redirect("staff:account:verify")
    device = None
    if request.method == "POST":
        device = pending_authenticator(user, request.session.get(ENROL_KEY, ""))
    if device is None:
        device = new_authenticator(user)
        request.session[ENROL_KEY] = device.key
        form = EnrolForm()
    else:
        form = EnrolForm(request.POST)
        if form.is_valid():
            codes = confirm_enrolment(device, code=form.cleaned_data["code"])
            if codes is not None:
                request.session.pop(ENROL_KEY, None)
                django_otp.login(request, device)
                next_url = _safe_next(request, pass_step(request.session))
                return render(
                    request,
                    "staff/account/recovery_codes.html",
                    {"codes": codes, "next_url": next_url, "enrolled": True},
                )
            security.event("two_factor.failed", request=request, scope="enrol")
            form.add_error(
                "code", _("That code did not work. Check your app's clock and try again.")
            )
    return render(
        request,
        "staff/account/enrol.html",
        {
            "form": form,
            "qr": _qr_data_uri(device),
            "secret": secret_of(device),
            "required": two_factor_required(user),
        },
        status=400 if form.errors else 200,
    )


@staff_member_required
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    enrolled = has_two_factor(user)
    return render(
        request,
        "staff/account/index.html",
        {
            "enrolled": enrolled,
            "verified": user.is_verified(),
            "required": two_factor_required(user),
            "codes_left": recovery_codes_left(user) if enrolled else 0,
        },
    )


@staff_member_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once; only from a session that passed the second factor."""
    if not request.user.is_verified():
        messages.error(request, _("Sign in with your authenticator app first."))
        return redirect("staff:account:index")
    codes = regenerate_recovery_codes(request.user)
    return render(
        request,
        "staff/account/recovery_codes.html",
        {"codes": codes, "next_url": resolve_url("staff:account:index"), "enrolled": False},
    )


@staff_member_required
@require_POST
def sign_out_all(request: HttpRequest) -> HttpResponse:
    sign_out_everywhere(request.user)
    logout(request)
    messages.success(request, _("You are signed out on every computer and phone."))
    return redirect("staff:login")
