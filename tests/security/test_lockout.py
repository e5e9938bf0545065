import datetime

import pytest
from axes.models import AccessAttempt
from django.core import checks
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from cica_admin.core.security import lockout
from cica_admin.core.security.lockout import client_ip
from tests.factories import UserFactory

from .conftest import log_in, logged_in

pytestmark = pytest.mark.usefixtures("axes_on")

OFFICE = "192.0.2.10"
ELSEWHERE = "198.51.100.20"


def lock_out(client, username, ip=OFFICE, limit=5):
    responses = [log_in(client, username, "wrong", ip=ip) for _ in range(limit)]
    return responses[-1]


def test_failures_below_the_limit_leave_the_login_open(client, staff):
    for _ in range(4):
        assert log_in(client, "aigerim", "wrong").status_code == 200
    assert log_in(client, "aigerim").status_code == 302
    assert logged_in(client)


def test_a_successful_login_clears_the_count(client, staff):
    for _ in range(4):
        log_in(client, "aigerim", "wrong")
    log_in(client, "aigerim")
    client.post(reverse("admin:logout"))
    for _ in range(4):
        assert log_in(client, "aigerim", "wrong").status_code == 200
    assert log_in(client, "aigerim").status_code == 302


def test_repeated_failures_lock_the_account_at_that_address(client, staff):
    refused = lock_out(client, "aigerim")
    assert refused.status_code == 429
    assert "Too many failed attempts for this account from this address" in (
        refused.content.decode()
    )
    # The right password is refused too while the lockout lasts.
    assert log_in(client, "aigerim").status_code == 429
    assert not logged_in(client)


def test_the_lockout_page_says_until_when_in_the_admin_look(client, staff, settings):
    refused = lock_out(client, "aigerim")
    last = AccessAttempt.objects.get(username="aigerim").attempt_time
    ends = timezone.localtime(last + settings.AXES_COOLOFF_TIME).strftime("%H:%M")
    page = refused.content.decode()
    assert f"Try again after {ends}" in page
    assert "CICA Secretariat administration" in page  # the admin's header


def test_the_lockout_does_not_reach_another_clerk_at_the_same_address(client, staff):
    UserFactory(username="daniyar")
    lock_out(client, "aigerim")
    assert log_in(client, "daniyar", ip=OFFICE).status_code == 302
    assert logged_in(client)


def test_the_lockout_does_not_reach_the_same_clerk_at_another_address(client, staff):
    lock_out(client, "aigerim")
    assert log_in(client, "aigerim", ip=ELSEWHERE).status_code == 302
    assert logged_in(client)


@pytest.mark.parametrize(
    ("minutes_ago", "locked"),
    [(14, True), (16, False)],  # the cool-off is 15 minutes
)
def test_the_lockout_expires_after_the_cool_off(client, staff, minutes_ago, locked):
    lock_out(client, "aigerim")
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    response = log_in(client, "aigerim")
    assert response.status_code == (429 if locked else 302)
    assert logged_in(client) is not locked


def test_trying_again_during_the_lockout_does_not_prolong_it(client, staff):
    lock_out(client, "aigerim")
    ten_minutes_ago = timezone.now() - datetime.timedelta(minutes=10)
    AccessAttempt.objects.update(attempt_time=ten_minutes_ago)
    assert log_in(client, "aigerim", "wrong").status_code == 429
    # Had it counted, the cool-off would restart now instead of ending in 5 minutes.
    attempt = AccessAttempt.objects.get()
    assert attempt.attempt_time == ten_minutes_ago
    assert attempt.failures_since_start == 5


def test_the_failure_limit_is_a_setting(client, staff, settings):
    settings.AXES_FAILURE_LIMIT = 2
    assert lock_out(client, "aigerim", limit=2).status_code == 429


@pytest.fixture
def proxy(settings):
    """One proxy in front, connecting from 10.0.0.2 (as the tests' requests do) or
    from the test client's own address."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["10.0.0.2", "192.0.2.10"]


def test_behind_a_proxy_the_clients_address_is_counted(proxy):
    factory = RequestFactory()
    request = factory.get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    # The proxy appended 203.0.113.7; 6.6.6.6 came from the client and may be forged.
    assert client_ip(request) == "203.0.113.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.2"),  # no proxy trusted: the header is ignored
        (1, "", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2"),
        (2, "203.0.113.7", "10.0.0.2"),  # shorter than the proxy chain
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
    ],
)
def test_forwarded_addresses_are_trusted_only_as_far_as_the_proxies(
    proxy, settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded
    )
    assert client_ip(request) == expected


def test_a_forged_forwarded_address_does_not_escape_the_lockout(client, staff, proxy):
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"):
        log_in(
            client, "aigerim", "wrong", HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.7"
        )
    response = log_in(client, "aigerim", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7")
    assert response.status_code == 429


@pytest.mark.parametrize("remote", ["198.51.100.9", "10.0.0.3", "not-an-address"])
def test_the_forwarded_header_of_a_client_that_is_not_the_proxy_is_ignored(
    proxy, remote
):
    """A client that reaches the server directly cannot name an address, neither to
    lock a victim's out nor to escape its own lockout by changing it each time."""
    request = RequestFactory().get(
        "/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert client_ip(request) == remote


def test_a_network_of_proxies_may_be_trusted(proxy, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.77", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert client_ip(request) == "203.0.113.7"


@pytest.fixture
def account_limit(settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 3


def try_from_many_addresses(client, count):
    """``count`` wrong passwords, each from an address of its own: the per-address
    lockout never trips."""
    for n in range(count):
        log_in(client, "aigerim", "wrong", ip=f"203.0.113.{n + 1}")


def test_an_account_tried_from_many_addresses_is_slowed_down(
    client, staff, account_limit
):
    try_from_many_addresses(client, 4)

    response = log_in(client, "aigerim", ip="203.0.113.99")  # the right password

    assert response.status_code == 200
    assert not logged_in(client)
    assert "addresses it has not signed in from before" in response.content.decode()


def test_the_clerk_at_their_usual_address_is_not_slowed_down(
    client, staff, account_limit
):
    log_in(client, "aigerim", ip=OFFICE)
    client.post(reverse("admin:logout"))
    try_from_many_addresses(client, 10)

    assert log_in(client, "aigerim", ip=OFFICE).status_code == 302
    assert logged_in(client)


def test_the_slow_down_ends_after_its_wait(client, staff, account_limit):
    from axes.models import AccessFailureLog

    try_from_many_addresses(client, 4)  # one beyond the limit: a 2 s wait
    AccessFailureLog.objects.update(
        attempt_time=timezone.now() - datetime.timedelta(seconds=3)
    )
    assert log_in(client, "aigerim", ip="203.0.113.99").status_code == 302


def test_the_clerk_is_told_of_failed_attempts_at_the_next_sign_in(client, staff):
    for _ in range(2):
        log_in(client, "aigerim", "wrong", ip=ELSEWHERE)

    response = client.get(log_in(client, "aigerim").url)

    notice = [str(message) for message in response.context["messages"]]
    assert len(notice) == 1
    assert notice[0].startswith("2 failed attempts to sign in to your account")
    assert ELSEWHERE in notice[0]


@pytest.fixture
def log_once():
    lockout._untrusted_forwarder.cache_clear()
    yield
    lockout._untrusted_forwarder.cache_clear()


def test_a_forwarded_header_from_an_unknown_address_is_logged_once(
    proxy, log_once, caplog
):
    """Behind a proxy missing from TRUSTED_PROXIES, every clerk would be counted at the
    proxy's address: the log says so, once per address, not once per request."""
    for _ in range(3):
        request = RequestFactory().get(
            "/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.7"
        )
        assert client_ip(request) == "10.9.9.9"
    warnings = [r for r in caplog.records if r.name == lockout.__name__]
    assert len(warnings) == 1
    assert "X-Forwarded-For from 10.9.9.9 ignored" in warnings[0].getMessage()


def test_without_a_proxy_a_forwarded_header_is_not_worth_a_warning(
    proxy, settings, log_once, caplog
):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    client_ip(request)
    assert not [r for r in caplog.records if r.name == lockout.__name__]


@pytest.mark.parametrize(
    ("proxies", "count", "expected"),
    [
        (["10.0.0.2", "10.0.0.0/24", "::1"], 1, []),
        (["10.0.0.2", "proxy.example.org"], 1, ["cica_security.E001"]),
        (["10.0.0.0/33"], 0, ["cica_security.E001"]),
        ([], 1, ["cica_security.E002"]),
        ([], 0, []),
    ],
)
def test_trusted_proxies_are_checked_when_the_server_starts(
    settings, proxies, count, expected
):
    settings.TRUSTED_PROXIES = proxies
    settings.TRUSTED_PROXY_COUNT = count
    errors = checks.run_checks(tags=[checks.Tags.security])
    assert [e.id for e in errors if e.id.startswith("cica_security")] == expected
