"""django-axes, fitted to the Secretariat: whose address a login comes from, and the
page a clerk sees when their account is locked at that address."""

import functools
import ipaddress
import logging
import math
from datetime import timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core import checks
from django.db.models import Max
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)

LOCKED_OUT = _(
    "Too many failed attempts for this account from this address. "
    "Try again after %(time)s (in %(minutes)d minutes)."
)


ACCOUNT_THROTTLED = _(
    "Too many failed attempts to sign in to this account from addresses it has not "
    "signed in from before. From this address, try again after %(time)s, or sign in "
    "from your usual workplace."
)


def client_ip(request):
    """The address a request came from, as the outermost trusted proxy saw it.

    Each of the TRUSTED_PROXY_COUNT proxies appends the address it received the
    request from to X-Forwarded-For, so the entry that many places from the right is
    the client's; anything further left was sent by the client and may be forged.
    The header is read only on a connection from a proxy (TRUSTED_PROXIES): anyone
    else who sends it is judged by their own address. With no trusted proxy, or a
    header too short to hold that entry, the connection's own address is used.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if not _is_proxy(remote):
        if count > 0 and "HTTP_X_FORWARDED_FOR" in request.META:
            _untrusted_forwarder(remote)
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if count > 0 and len(forwarded) >= count:
        candidate = forwarded[-count]
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return remote


@functools.lru_cache(maxsize=256)
def _untrusted_forwarder(remote):
    """Say once per address (of the last 256) that its X-Forwarded-For was ignored.

    Behind a proxy missing from TRUSTED_PROXIES every clerk would be counted at the
    proxy's address; a client that sends the header itself may be probing.
    """
    logger.warning(
        "X-Forwarded-For from %s ignored: it is not one of TRUSTED_PROXIES (%s).",
        remote,
        ", ".join(settings.TRUSTED_PROXIES),
    )


def _is_proxy(address):
    try:
        address = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network, strict=False)
        for network in settings.TRUSTED_PROXIES
    )


def check_trusted_proxies(app_configs, **kwargs):
    """TRUSTED_PROXIES is checked when the server starts, not at the first login
    behind the proxy."""
    errors = [
        checks.Error(
            f"TRUSTED_PROXIES holds {entry!r}, which is not an IP address or network.",
            hint="List the addresses or networks (e.g. 10.0.0.0/24) the reverse "
            "proxies connect from, separated by commas.",
            id="cica_security.E001",
        )
        for entry in settings.TRUSTED_PROXIES
        if not _is_network(entry)
    ]
    if settings.TRUSTED_PROXY_COUNT > 0 and not settings.TRUSTED_PROXIES:
        errors.append(
            checks.Error(
                "TRUSTED_PROXY_COUNT is above 0 but TRUSTED_PROXIES is empty, so "
                "X-Forwarded-For is never read.",
                hint="Set TRUSTED_PROXIES to the addresses the proxies connect from, "
                "or TRUSTED_PROXY_COUNT=0 if clients connect directly.",
                id="cica_security.E002",
            )
        )
    return errors


def _is_network(entry):
    try:
        ipaddress.ip_network(entry, strict=False)
    except ValueError:
        return False
    return True


def lockout_ends(request, username):
    """When the failures counted against this username at this address expire."""
    last = AccessAttempt.objects.filter(
        username=username, ip_address=request.axes_ip_address
    ).aggregate(last=Max("attempt_time"))["last"]
    return (last or timezone.now()) + get_cool_off(request)


def lockout_response(request, original_response, credentials):
    """AXES_LOCKOUT_CALLABLE: the lockout page, in the look of the admin."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    ends = lockout_ends(request, username)
    minutes = max(1, math.ceil((ends - timezone.now()).total_seconds() / 60))
    context = {
        **admin.site.each_context(request),
        "title": _("Account locked"),
        "message": LOCKED_OUT
        % {"time": timezone.localtime(ends).strftime("%H:%M"), "minutes": minutes},
    }
    return TemplateResponse(
        request, "security/locked_out.html", context, status=429
    ).render()


def _unknown_failures(username, address):
    """The account's recent failures from addresses it has never signed in from,
    unless ``address`` is one it has: there, only the per-address lockout counts."""
    known = set(
        AccessLog.objects.filter(username=username).values_list("ip_address", flat=True)
    )
    if address in known:
        return AccessFailureLog.objects.none()
    since = timezone.now() - timedelta(minutes=settings.LOGIN_ACCOUNT_WINDOW_MINUTES)
    return AccessFailureLog.objects.filter(
        username=username, attempt_time__gte=since
    ).exclude(ip_address__in=known)


def account_waits_until(request, username):
    """When an attempt at ``username`` from this request's address may be made again,
    or None if it may now.

    Beyond the per-address lockout, an account tried from many addresses is slowed
    down: past LOGIN_ACCOUNT_FAILURE_LIMIT failures from addresses it has never
    signed in from, each further attempt from such an address waits twice as long as
    the last, up to LOGIN_ACCOUNT_MAX_WAIT_MINUTES. The clerk at an address they have
    signed in from before is not slowed down, so an attacker cannot lock them out.
    """
    failures = _unknown_failures(username, client_ip(request))
    count = failures.count()
    beyond = count - settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    if beyond < 0:
        return None
    wait = min(
        timedelta(seconds=2**beyond),
        timedelta(minutes=settings.LOGIN_ACCOUNT_MAX_WAIT_MINUTES),
    )
    ends = failures.aggregate(last=Max("attempt_time"))["last"] + wait
    return ends if ends > timezone.now() else None


def refuse_if_slowed_down(request, username):
    """Refuse the attempt, without checking the password, while the account waits."""
    if not settings.AXES_ENABLED or not username:
        return
    ends = account_waits_until(request, username)
    if ends is not None:
        raise forms.ValidationError(
            ACCOUNT_THROTTLED
            % {"time": formats.time_format(timezone.localtime(ends), "H:i:s")},
            code="account_throttled",
        )


def tell_of_failures(request, user):
    """On a successful sign-in, tell the clerk of the failed attempts at their
    account since they last signed in, so that they can report what was not them."""
    if not settings.AXES_ENABLED:
        return
    failures = AccessFailureLog.objects.filter(username=user.get_username())
    if user.last_login:
        failures = failures.filter(attempt_time__gt=user.last_login)
    last = failures.order_by("-attempt_time").first()
    if last is None:
        return
    count = failures.count()
    messages.warning(
        request,
        ngettext(
            "%(count)d failed attempt to sign in to your account since you last "
            "signed in, from %(address)s at %(when)s. If it was not you, tell the "
            "Administrator.",
            "%(count)d failed attempts to sign in to your account since you last "
            "signed in, the last from %(address)s at %(when)s. If they were not "
            "you, tell the Administrator.",
            count,
        )
        % {
            "count": count,
            "address": last.ip_address,
            "when": formats.date_format(
                timezone.localtime(last.attempt_time), "DATETIME_FORMAT"
            ),
        },
    )
