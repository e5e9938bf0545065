"""Journey 2: a registry officer records that an observer became a member, with its
basis; sees it in the party's timeline and in the roster of that date; and sees the
reason a wrong change is refused, on the form.

Journey 7 is the same journey in Russian, once the interface can be switched to it.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import formats, translation
from django_countries import countries
from playwright.sync_api import expect

from cica_admin.core.dates import Precision, format_partial
from registry import rules
from registry.rules import MEMBER, OBSERVER, SUSPENDED
from tests.browser.screen import fits_the_window, follow, log_in, visit
from tests.factories import UserFactory

# Made up for the journey: the record says nothing of Malaysia's membership.
ADMITTED = datetime.date(2024, 3, 15)
BASIS = "Decision of the Senior Officials Committee, Astana, 14 March 2024"


@pytest.fixture
def registry_officer(transactional_db):
    user = UserFactory(username="aigerim", is_superuser=False)
    user.groups.add(Group.objects.get(name="Registry officer"))
    return user


class Words:
    """What the pages say in one language: the project's and Django's messages through
    their catalogues, state names and dates as that language writes them, so that one
    journey reads the screen in either language."""

    def __init__(self, language):
        self.language = language

    def __call__(self, message, **values):
        with translation.override(self.language):
            text = str(
                translation.gettext(message) if type(message) is str else message
            )
            return text % values if values else text

    def state(self, alpha2):
        with translation.override(self.language):
            return str(countries.name(alpha2))

    def day(self, value):
        """A date as the admin's lists write it (15 Mar 2024)."""
        with translation.override(self.language):
            return format_partial(value, Precision.DAY)

    def typed(self, value):
        """A date as a clerk types it into a date field."""
        with translation.override(self.language):
            return formats.localize_input(value)

    def pattern(self, message, **values):
        """The message with ``values`` put in, any other placeholder matching any
        text: for the parts (a date phrase) the journey does not spell out."""
        parts = re.split(r"(%\(\w+\)s)", self(message))
        return re.compile(
            "".join(
                re.escape(str(values[part[2:-2]]))
                if part[2:-2] in values
                else ".+"
                if part.startswith("%(")
                else re.escape(part)
                for part in parts
            )
        )


def switch_language(page, language):
    """The language switch of the admin's header, as issue 16 describes it (a choice
    of English / Русский); its exact shape is a guess until it is built."""
    if language == "en":
        return
    names = {"ru": "Русский"}
    switch = page.locator("#header").get_by_role(
        "combobox", name=re.compile("language|язык", re.I)
    )
    expect(switch).to_be_visible()
    with page.expect_navigation():
        switch.select_option(label=names[language])
    fits_the_window(page)
    expect(page.locator("html")).to_have_attribute("lang", language)
    # The messages the journey reads are the catalogue's, not the English ones.
    assert Words(language)(rules.SUSPEND_NON_MEMBER) != Words("en")(
        rules.SUSPEND_NON_MEMBER
    )


def pick_party(page, code, name):
    """The party field's autocomplete: type the party's code, choose the match."""
    page.locator(".field-party .select2-selection").click()
    page.locator(".select2-search__field").fill(code)
    page.locator(".select2-results__option", has_text=name).click()
    expect(page.locator(".field-party .select2-selection__rendered")).to_have_text(name)


def add_standing_change(page, words, *, code, name, status, day, basis):
    visit(page, "/admin/")
    follow(page, page.locator("#content-main th a[href$='/registry/standingchange/']"))
    follow(page, page.locator(".object-tools a.addlink"))
    pick_party(page, code, name)
    page.locator("select[name=status]").select_option(label=words(status.label))
    page.locator("input[name=date]").fill(words.typed(day))
    page.locator("[name=basis]").fill(basis)
    follow(page, page.locator("input[name=_save]"))


@pytest.mark.parametrize(
    "language",
    [
        "en",
        pytest.param(
            "ru",
            marks=pytest.mark.xfail(
                strict=True,
                reason="issue 16: the interface cannot be switched to Russian yet "
                "(no language switch, no Russian catalogue of the project)",
            ),
        ),
    ],
)
@pytest.mark.usefixtures("cica_record")
def test_an_observer_admitted_as_member_shows_in_its_timeline_and_the_roster(
    page, registry_officer, language
):
    words = Words(language)
    malaysia, japan = words.state("MY"), words.state("JP")
    log_in(page, "aigerim", "pw")
    switch_language(page, language)

    add_standing_change(
        page, words, code="MYS", name=malaysia, status=MEMBER, day=ADMITTED, basis=BASIS
    )
    expect(page.locator(".messagelist .success")).to_contain_text(malaysia)
    # Malaysia's undated observer status, and the admission after it.
    rows = page.locator("#result_list tbody tr", has_text=malaysia)
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text=words.day(ADMITTED))).to_contain_text(BASIS)

    # The party's timeline: the new change after its observer status.
    visit(page, "/admin/registry/party/?q=MYS")
    party_row = page.locator("#result_list tbody tr")
    expect(party_row).to_have_count(1)
    expect(party_row.locator("td.field-current_status")).to_have_text(
        words(MEMBER.label)
    )
    expect(party_row.locator("td.field-since")).to_have_text(words.day(ADMITTED))
    follow(page, party_row.get_by_role("link", name=malaysia))
    timeline = page.locator("#standing_changes-group tbody tr.has_original")
    expect(timeline.locator("td.original p")).to_have_text(
        [
            re.compile(re.escape(f"{malaysia}: {words(OBSERVER.label)} (")),
            f"{malaysia}: {words(MEMBER.label)} ({words.day(ADMITTED)})",
        ]
    )
    expect(timeline.nth(1).locator("[name$=basis]")).to_have_value(BASIS)

    # The roster of that day counts Malaysia as a member; of the day before, not.
    visit(page, "/admin/reports/register/")
    members = page.locator(".cica-report > h2 + table").first
    page.locator("input[name=on]").fill(ADMITTED.isoformat())
    follow(page, page.get_by_role("button", name=words("Show")))
    expect(members.locator("tr", has_text=malaysia)).to_contain_text(
        words.day(ADMITTED)
    )
    page.locator("input[name=on]").fill(
        (ADMITTED - datetime.timedelta(days=1)).isoformat()
    )
    follow(page, page.get_by_role("button", name=words("Show")))
    expect(members).to_contain_text(words.state("KZ"))
    expect(members).not_to_contain_text(malaysia)

    # A wrong change is refused, with its reason beside the field, and not saved.
    add_standing_change(
        page, words, code="JPN", name=japan, status=SUSPENDED, day=ADMITTED, basis=BASIS
    )
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".field-status .errorlist")).to_have_text(
        words.pattern(rules.SUSPEND_NON_MEMBER, party=japan)
    )
    visit(page, "/admin/registry/party/?q=JPN")
    follow(page, page.locator("#result_list").get_by_role("link", name=japan))
    expect(page.locator("#standing_changes-group td.original p")).to_have_text(
        [re.compile(re.escape(f"{japan}: {words(OBSERVER.label)} ("))]
    )
