import datetime
import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from cica_admin.core.security import sessions
from tests.factories import UserFactory

from .conftest import log_in, logged_in

IDLE = 30 * 60
LIFETIME = 10 * 60 * 60


def shift(client, **seconds_ago):
    """Move the session's login and last-seen times into the past."""
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[{"login": sessions.LOGIN_AT, "seen": sessions.SEEN_AT}[key]] = now - ago
    session.save()


def test_logging_in_rotates_the_session_key(client, staff):
    planted = client.session  # a session the visitor had before logging in
    planted["note"] = "before"
    planted.save()
    before = planted.session_key

    assert log_in(client, "aigerim").status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert logged_in(client)


@pytest.mark.parametrize(
    ("seen_ago", "still_in"),
    [(IDLE - 60, True), (IDLE + 60, False)],
)
def test_an_idle_session_ends(client, staff, seen_ago, still_in):
    client.force_login(staff)
    shift(client, seen=seen_ago)
    response = client.get(reverse("admin:meetings_document_changelist"))
    assert (response.status_code == 200) is still_in
    assert logged_in(client) is still_in


def test_a_session_of_unknown_age_ends_rather_than_starting_afresh(
    client, staff, two_factor_on
):
    """A session from before the limits has no login time. Taken as new, it would
    also pass for a password just given, and could set up an authenticator."""
    client.force_login(staff)
    session = client.session
    del session[sessions.LOGIN_AT], session[sessions.SEEN_AT]
    session.save()

    response = client.get(reverse("admin:two_factor"))

    assert response.status_code == 302
    assert not logged_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "began before the current time limits" in page


def test_the_clerk_is_told_why_and_sent_back_after_login(client, staff):
    client.force_login(staff)
    shift(client, seen=IDLE + 60)
    url = reverse("admin:meetings_document_changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"
    page = client.get(response["Location"]).content.decode()
    assert "logged out after 30 minutes without activity" in page


@pytest.mark.parametrize(
    ("login_ago", "still_in"),
    [(LIFETIME - 60, True), (LIFETIME + 60, False)],
)
def test_a_session_ends_at_its_lifetime_however_active(
    client, staff, login_ago, still_in
):
    client.force_login(staff)
    shift(client, login=login_ago, seen=5)
    response = client.get(reverse("admin:index"))
    assert (response.status_code == 200) is still_in
    assert logged_in(client) is still_in


def test_activity_keeps_a_session_alive(client, staff):
    client.force_login(staff)
    shift(client, seen=IDLE - 60)
    client.get(reverse("admin:index"))
    assert client.session[sessions.SEEN_AT] >= int(time.time()) - 5


def test_last_seen_is_not_written_on_every_request(client, staff):
    client.force_login(staff)
    shift(client, seen=10)
    seen = client.session[sessions.SEEN_AT]
    client.get(reverse("admin:index"))
    assert client.session[sessions.SEEN_AT] == seen


def test_the_limits_are_settings(client, staff, settings):
    settings.SESSION_IDLE_TIMEOUT = datetime.timedelta(minutes=5)
    client.force_login(staff)
    shift(client, seen=6 * 60)
    assert client.get(reverse("admin:index")).status_code == 302
    assert not logged_in(client)


def test_deactivating_a_user_ends_their_sessions(client, staff):
    client.force_login(staff)
    key = client.session.session_key
    colleague = UserFactory(username="daniyar")
    other = type(client)()
    other.force_login(colleague)

    staff.is_active = False
    staff.save()

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("admin:index")).status_code == 302
    assert not logged_in(client)
    # Nobody else is logged out.
    assert other.get(reverse("admin:index")).status_code == 200
