"""django-axes, fitted to the Secretariat: whose address a login comes from, and the
page a clerk sees when their account is locked at that address."""

import ipaddress
import math

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.db.models import Max
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LOCKED_OUT = _(
    "Too many failed attempts for this account from this address. "
    "Try again after %(time)s (in %(minutes)d minutes)."
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
    if not _is_proxy(remote):
        return remote
    count = settings.TRUSTED_PROXY_COUNT
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


def _is_proxy(address):
    try:
        address = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network, strict=False)
        for network in settings.TRUSTED_PROXIES
    )


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
