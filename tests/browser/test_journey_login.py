"""Journey 1: a clerk logs in, with the second factor where it is required, and lands
on the dashboard."""

import time
from base64 import b32decode

import pytest
from django.contrib.auth.models import Group
from django_otp.oath import TOTP
from playwright.sync_api import expect

from cica_admin.core.security import two_factor
from tests.browser.screen import follow, log_in
from tests.factories import UserFactory

PASSWORD = "pw"  # UserFactory's


@pytest.fixture
def registry_officer(transactional_db):
    user = UserFactory(username="aigerim", is_superuser=False)
    user.groups.add(Group.objects.get(name="Registry officer"))
    return user


class AuthenticatorApp:
    """The clerk's phone: a TOTP app given the key the enrolment page shows."""

    def __init__(self, key_text):
        key = key_text.replace(" ", "")
        self.key = b32decode(key + "=" * (-len(key) % 8))

    def code(self, *, steps_ahead=0):
        totp = TOTP(self.key)
        # A code is accepted once per 30-second step; a later login within the same
        # step uses the next step's code, as the app shows it moments later.
        totp.time = time.time() + 30 * steps_ahead
        return f"{totp.token():06d}"


def expect_dashboard(page):
    expect(page).to_have_title("Records of the Conference | CICA Secretariat")
    today = page.locator("section", has_text="CICA today")
    # The CICA record as loaded: 26 members today.
    expect(today.locator(".figure", has_text="members")).to_have_text("26members")


@pytest.mark.usefixtures("cica_record")
def test_with_a_password_alone_a_clerk_lands_on_the_dashboard(page, registry_officer):
    log_in(page, "aigerim", PASSWORD)
    expect_dashboard(page)
    expect(page.locator("#user-tools")).to_contain_text("aigerim")


@pytest.mark.usefixtures("cica_record")
def test_with_two_factor_a_clerk_sets_up_the_app_then_logs_in_with_its_code(
    page, registry_officer, settings
):
    settings.REQUIRE_2FA = True

    # The first login: the password, no code yet, leads to the set-up page only.
    log_in(page, "aigerim", PASSWORD)
    expect(page.locator("h1")).to_have_text("Set up two-factor authentication")
    app = AuthenticatorApp(page.locator(".two-factor .key").inner_text())
    page.get_by_label("Code from the app").fill(app.code())
    follow(page, page.get_by_role("button", name="Confirm"))
    expect(page.locator(".messagelist")).to_contain_text(str(two_factor.ENROLLED))
    expect_dashboard(page)

    follow(page, page.get_by_role("button", name="Log out"))
    expect(page.locator("#content")).to_contain_text("Logged out")

    # From now on the password alone is refused, with the reason on the form ...
    log_in(page, "aigerim", PASSWORD)
    expect(page.locator(".errornote")).to_have_text(str(two_factor.CODE_REQUIRED))
    # ... and the password with the app's code opens the dashboard.
    log_in(page, "aigerim", PASSWORD, code=app.code(steps_ahead=1))
    expect_dashboard(page)
