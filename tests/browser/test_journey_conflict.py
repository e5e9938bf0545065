"""Journey 5: two clerks, in two browsers, edit the same record; the second save is
refused with who changed what, and the first stays."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.browser.screen import follow, log_in, visit
from tests.factories import UserFactory

FIRST_NOTE = "Embassy in Astana confirmed the address (aigerim)."
SECOND_NOTE = "Focal point changed in 2024 (daniyar)."


@pytest.fixture
def registry_officers(transactional_db):
    group = Group.objects.get(name="Registry officer")
    for name in ("aigerim", "daniyar"):
        UserFactory(username=name, is_superuser=False).groups.add(group)


def open_malaysia(page):
    visit(page, "/admin/registry/party/?q=MYS")
    follow(page, page.locator("#result_list").get_by_role("link", name="Malaysia"))


@pytest.mark.usefixtures("cica_record", "registry_officers")
def test_the_second_of_two_saves_of_one_record_shows_the_conflict(page, new_context):
    first, second = page, new_context().new_page()
    log_in(first, "aigerim", "pw")
    log_in(second, "daniyar", "pw")
    open_malaysia(first)
    open_malaysia(second)

    first.locator("#id_note").fill(FIRST_NOTE)
    follow(first, first.get_by_role("button", name="Save", exact=True))
    expect(first.locator(".messagelist .success")).to_contain_text("Malaysia")

    second.locator("#id_note").fill(SECOND_NOTE)
    follow(second, second.get_by_role("button", name="Save", exact=True))
    expect(second.locator(".errornote")).to_be_visible()
    conflict = second.locator(".errorlist.nonfield")
    expect(conflict).to_contain_text("Not saved: Malaysia was changed by aigerim")
    expect(conflict).to_contain_text(FIRST_NOTE)
    # The second clerk's words are still in the form, to be copied.
    expect(second.locator("#id_note")).to_have_value(SECOND_NOTE)

    # The first save stands.
    open_malaysia(second)
    expect(second.locator("#id_note")).to_have_value(FIRST_NOTE)
