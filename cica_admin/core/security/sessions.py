"""Sessions that end: after a spell without activity, after a fixed lifetime, and at
once when the user is deactivated.

Django rotates the session key at every login (``django.contrib.auth.login`` calls
``cycle_key``), so a key planted before the login is worthless after it.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LOGIN_AT = "cica_login_at"
SEEN_AT = "cica_seen_at"
# Last-seen is written at most this often, so an active clerk's session is not saved
# on every request; the idle timeout is therefore exact to within this many seconds.
SEEN_RESOLUTION = 60

SESSION_IDLE = _(
    "You were logged out after %(minutes)d minutes without activity. "
    "Please log in again."
)
SESSION_TOO_OLD = _(
    "You were logged out because your session reached its limit of %(hours)g hours. "
    "Please log in again."
)

SESSION_UNKNOWN_AGE = _(
    "You were logged out because your session began before the current time limits. "
    "Please log in again."
)


def stamp_login(sender, request, user, **kwargs):
    """Receiver of ``user_logged_in``: the session's lifetime starts now."""
    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now


def expiry_reason(session, now):
    """Why this session has ended, or None while it may go on."""
    started, seen = session.get(LOGIN_AT), session.get(SEEN_AT)
    if started is None or seen is None:
        # A session from before these limits existed. Its age is unknown, so it
        # ends: adopting it as new would also let it pass for a fresh password
        # where one is needed (setting up two-factor).
        return SESSION_UNKNOWN_AGE
    lifetime = settings.SESSION_ABSOLUTE_LIFETIME.total_seconds()
    idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
    if now - started > lifetime:
        return SESSION_TOO_OLD % {"hours": lifetime / 3600}
    if now - seen > idle:
        return SESSION_IDLE % {"minutes": idle // 60}
    if now - seen >= SEEN_RESOLUTION:
        session[SEEN_AT] = now
    return None


class SessionLimitsMiddleware:
    """Log out a session idle longer than SESSION_IDLE_TIMEOUT or older than
    SESSION_ABSOLUTE_LIFETIME, and send the user to the login page saying why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            reason = expiry_reason(request.session, int(time.time()))
            if reason is not None:
                logout(request)
                messages.warning(request, reason)
                # Come back to the page asked for, unless it was a form being sent.
                target = (
                    request.get_full_path()
                    if request.method == "GET"
                    else reverse("admin:index")
                )
                return redirect_to_login(target, reverse("admin:login"))
        return self.get_response(request)


def end_sessions_of(user):
    """Delete every stored session in which ``user`` is logged in.

    Sessions are signed blobs keyed by a random key, not by user, so this decodes each
    unexpired one. The Secretariat has a handful of sessions at any time, which makes
    the scan cheap; it assumes the database session engine, the project's default.
    """
    from django.contrib.sessions.models import Session

    user_id = str(user.pk)
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now())
        if session.get_decoded().get(SESSION_KEY) == user_id
    ]
    Session.objects.filter(pk__in=ended).delete()


def end_sessions_of_deactivated_user(sender, instance, update_fields=None, **kwargs):
    """Receiver of the user model's ``post_save``: deactivating a user ends their
    sessions at once rather than at their next request."""
    if instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    end_sessions_of(instance)
