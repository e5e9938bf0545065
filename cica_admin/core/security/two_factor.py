"""Two-factor logins to the admin (django-otp, TOTP), when REQUIRE_2FA is on.

A clerk with a confirmed authenticator gives the six-digit code on the login page
with their password. A staff user without one is logged in by the password alone but
let no further than the enrolment page, which shows a new key (QR code and text) and
takes a first code: that confirms the authenticator and verifies the session. Only a
verified session reaches the admin (``SecretariatAdminSite.has_permission``).

An administrator who deletes a user's device (Django OTP, TOTP devices) makes that
user enrol again at their next login.
"""

import time
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import lockout
from .sessions import LOGIN_AT

CODE_REQUIRED = _("Enter the six-digit code from your authenticator app.")
CODE_WRONG = _(
    "That code is not right, or was already used. Enter the code your "
    "authenticator app shows now."
)
CODE_THROTTLED = _(
    "After a wrong code the next one must wait a little. Wait a few seconds, then "
    "enter the code your authenticator app shows now."
)
ALREADY_ENROLLED = _(
    "Two-factor authentication is already set up for this account. Log in with your "
    "password and the code from your authenticator app."
)
ENROLLED = _(
    "Two-factor authentication is set up. From now on, log in with your password "
    "and the code your authenticator app shows."
)
ENROL_AFTER_PASSWORD = _(
    "To set up two-factor authentication, log in again with your password: it is "
    "set up right after the password is given."
)
DEVICE_NAME = "Authenticator app"
#: How long after the password an authenticator may be set up.
ENROL_WINDOW_SECONDS = 10 * 60


def password_just_given(request):
    started = request.session.get(LOGIN_AT)
    return started is not None and time.time() - started <= ENROL_WINDOW_SECONDS


def is_verified(user):
    """Whether this session was verified by a second factor (set by OTPMiddleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def confirmed_devices(user):
    # Locked while a code is checked, so two requests cannot both spend one code.
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update()


def needs_enrolment(request):
    """A staff user logged in by password who has no authenticator yet."""
    user = request.user
    return (
        settings.REQUIRE_2FA
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and not is_verified(user)
        and not TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()
    )


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            max_length=8,
            widget=forms.TextInput(
                attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
            ),
            **kwargs,
        )

    def to_python(self, value):
        return "".join(super().to_python(value).split())


def check_code(device, code):
    """Raise ValidationError unless ``code`` is a fresh code of ``device``.

    A TOTP code is accepted once: django-otp refuses any code from a time step at or
    before the last one used.
    """
    allowed, _extra = device.verify_is_allowed()
    if not allowed:
        raise forms.ValidationError(CODE_THROTTLED, code="throttled")
    if not device.verify_token(code):
        raise forms.ValidationError(CODE_WRONG, code="code_wrong")


class LoginForm(AdminAuthenticationForm):
    """The admin's login form, which asks for a code when REQUIRE_2FA is on."""

    otp_token = CodeField(
        label=_("Authentication code"),
        required=False,
        help_text=_(
            "From your authenticator app. Leave empty if you have not yet set up "
            "two-factor authentication: you will be asked to after logging in."
        ),
    )

    def clean(self):
        lockout.refuse_if_slowed_down(self.request, self.data.get("username"))
        cleaned_data = super().clean()
        user = self.get_user()
        if settings.REQUIRE_2FA and user is not None:
            user.otp_device = self._verified_device(user)
        if user is not None:
            lockout.tell_of_failures(self.request, user)
        return cleaned_data

    def _verified_device(self, user):
        """The user's device that accepts the code given; None if they have none."""
        code = self.cleaned_data.get("otp_token")
        # A wrong code is refused after the block, so that the failure django-otp
        # records against the device (its throttle) is not rolled back with it.
        with transaction.atomic():
            devices = list(confirmed_devices(user))
            if not devices:
                return None
            if not code:
                raise forms.ValidationError(CODE_REQUIRED, code="code_required")
            for device in devices:
                try:
                    check_code(device, code)
                except forms.ValidationError as exc:
                    error = exc
                else:
                    return device
        # A wrong code counts towards the login lockout like a wrong password.
        user_login_failed.send(
            sender=__name__,
            credentials={"username": self.cleaned_data.get("username")},
            request=self.request,
        )
        raise error


class EnrolForm(forms.Form):
    code = CodeField(label=_("Code from the app"))


def key_text(device):
    """The key in base32, in groups of four, for typing into an app by hand."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device):
    """The key as a QR code, inline SVG on a white ground (readable in dark mode)."""
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage
    )
    # Markup we generate from our own key: nothing a user typed reaches it.
    return mark_safe(image.to_string(encoding="unicode"))


def _next_url(request):
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(
        REDIRECT_FIELD_NAME, ""
    )
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def enrolment_url(request):
    """The enrolment page, carrying on to where the user was going."""
    url = reverse("admin:two_factor")
    target = request.GET.get(REDIRECT_FIELD_NAME)
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: target})}" if target else url


def enrol_view(site, request):
    """Set up an authenticator for a staff user logged in by password alone.

    Not an ``admin_view``: the admin lets in only verified sessions, and this page is
    for the one kind of session that is not verified yet. It shows a secret key, so
    no cache may keep it.
    """
    response = _enrol(site, request)
    add_never_cache_headers(response)
    return response


def _enrol(site, request):
    if not settings.REQUIRE_2FA:
        raise Http404
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if is_verified(user):
        return HttpResponseRedirect(_next_url(request))
    if request.method == "POST" and "cancel" in request.POST:
        logout(request)
        return HttpResponseRedirect(reverse("admin:login"))
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        logout(request)
        messages.info(request, ALREADY_ENROLLED)
        return HttpResponseRedirect(reverse("admin:login"))
    if not password_just_given(request):
        # A session logged in earlier (before its device was removed, or before
        # REQUIRE_2FA was on) must not be enough to set up a new authenticator.
        logout(request)
        messages.info(request, ENROL_AFTER_PASSWORD)
        return redirect_to_login(_next_url(request), reverse("admin:login"))
    # One pending device per user, so reloading the page keeps the key already scanned.
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            check_code(device, form.cleaned_data["code"])
        except forms.ValidationError as exc:
            form.add_error("code", exc)
        else:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, ENROLLED)
            return HttpResponseRedirect(_next_url(request))
    context = {
        **site.each_context(request),
        "title": _("Set up two-factor authentication"),
        "form": form,
        "qr_svg": qr_svg(device),
        "key_text": key_text(device),
        "next": request.POST.get(REDIRECT_FIELD_NAME)
        or request.GET.get(REDIRECT_FIELD_NAME, ""),
    }
    return TemplateResponse(request, "security/enrol.html", context)
