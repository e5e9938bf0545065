"""Journey 6: staff outside finance find no finance menu, and a finance address typed
by hand is refused (403); finance staff, on the same pages, find both."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.browser.screen import log_in, visit
from tests.factories import UserFactory

REFUSED = "Your role does not give you access to this page or this action."


def signed_in(page, role):
    username = role.lower().replace(" ", "_")
    UserFactory(username=username, is_superuser=False).groups.add(
        Group.objects.get(name=role)
    )
    log_in(page, username, "pw")


def finance_menu(page):
    return page.get_by_role("table", name="Finance")


def finance_report(page):
    return page.locator(".report-card h2", has_text="Contributions and pledges")


@pytest.mark.usefixtures("cica_record")
def test_outside_finance_there_is_no_finance_menu_and_its_pages_are_refused(page):
    signed_in(page, "Meetings officer")
    expect(page.get_by_role("table", name="Meetings")).to_be_visible()
    expect(finance_menu(page)).to_have_count(0)
    expect(page.locator("#content-main")).not_to_contain_text("Contributions")

    visit(page, "/admin/reports/")
    expect(page.locator(".report-card h2").first).to_be_visible()
    expect(finance_report(page)).to_have_count(0)

    for path in ["/admin/finance/", "/admin/finance/contribution/"]:
        assert visit(page, path).status == 403
        expect(page.locator("#content-main")).to_contain_text(REFUSED)


@pytest.mark.usefixtures("cica_record")
def test_finance_staff_find_the_menu_and_open_its_pages(page):
    """The other side of the journey above: the same menu and addresses are there."""
    signed_in(page, "Finance officer")
    expect(finance_menu(page).get_by_role("link", name="Contributions")).to_be_visible()
    assert visit(page, "/admin/finance/contribution/").status == 200
    expect(page.locator("h1")).to_have_text("Select contribution to change")
    visit(page, "/admin/reports/")
    expect(finance_report(page)).to_have_count(1)
