"""Journey 3: a meetings officer records a meeting, fills its delegations from the
roster of its day, confirms who attended, and takes the meeting report away as a PDF
and a workbook."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.screen import follow, log_in
from tests.factories import UserFactory

ATTENDANCE_SOURCE = "List of participants, SOC Astana (test)"
MEMBERS, OBSERVERS = 26, 6  # on any day since 2014, by the CICA record
EXCUSED = "Mongolia"


@pytest.fixture
def meetings_officer(transactional_db):
    user = UserFactory(username="bolat", is_superuser=False)
    user.groups.add(Group.objects.get(name="Meetings officer"))
    return user


def pick_first_of_this_month(page, field):
    """The admin's calendar beside a date field: the 1st of the month it opens on."""
    shortcuts = page.locator(f"#id_{field} ~ .datetimeshortcuts")
    shortcuts.get_by_role("link", name="Choose a Date").click()
    calendar = page.locator(".calendarbox:visible")
    calendar.locator("td:not(.nonday) a", has_text="1").first.click()
    expect(calendar).to_be_hidden()


@pytest.mark.usefixtures("cica_record")
def test_a_meeting_recorded_prefilled_confirmed_and_reported_as_pdf_and_xlsx(
    page, meetings_officer, tmp_path
):
    first = timezone.localdate().replace(day=1)
    log_in(page, "bolat", "pw")

    # The meeting, its day picked in the calendar.
    follow(page, page.locator("#content-main th a[href$='/meetings/meeting/']"))
    follow(page, page.locator(".object-tools a.addlink"))
    page.get_by_label("Body").select_option(label="Senior Officials Committee (SOC)")
    page.get_by_label("Title").fill("Meeting of the SOC in Astana")
    page.get_by_label("Status").select_option(label="held")
    pick_first_of_this_month(page, "start")
    expect(page.locator("#id_start")).to_have_value(f"{first:%d/%m/%Y}")
    page.get_by_label("City").fill("Astana")
    page.get_by_label("Host country").select_option(label="Kazakhstan")
    follow(page, page.get_by_role("button", name="Save", exact=True))
    expect(page.locator(".messagelist .success")).to_contain_text(
        "Meeting of the SOC in Astana"
    )

    # Its delegations from the roster of its day, with the list's action.
    row = page.locator("#result_list tbody tr", has_text="Meeting of the SOC in Astana")
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(
        label="Add every member and observer on the meeting date"
    )
    follow(page, page.get_by_role("button", name="Go"))
    expect(page.locator(".messagelist .success")).to_have_text(
        "Meeting of the SOC in Astana: "
        f"{MEMBERS + OBSERVERS} delegations added; check who attended."
    )
    # Observers whose status has no date are left for the clerk to add by hand.
    expect(page.locator(".messagelist .warning")).to_contain_text("Japan")
    expect(row.locator("td.field-delegation_count")).to_have_text(
        str(MEMBERS + OBSERVERS)
    )

    # Attendance confirmed as the admin allows today: each delegation's source
    # replaced by where its attendance is recorded, the excused one unticked, and
    # the list marked complete.
    follow(page, row.get_by_role("link", name="Meeting of the SOC in Astana"))
    delegations = page.locator("#delegations-group tbody tr.has_original")
    expect(delegations).to_have_count(MEMBERS + OBSERVERS)
    for source in delegations.locator("[name$='-source']").all():
        source.fill(ATTENDANCE_SOURCE)
    delegations.filter(has_text=EXCUSED).locator("[name$='-present']").uncheck()
    page.get_by_label("Attendance list complete").check()
    follow(page, page.get_by_role("button", name="Save and continue editing"))
    expect(page.locator(".messagelist .success")).to_contain_text(
        "changed successfully"
    )

    # The report: everyone but the excused member present, nothing left unchecked.
    follow(
        page, page.locator(".object-tools").get_by_role("link", name="Meeting report")
    )
    expect(page.locator("h1")).to_have_text(
        "Report of the Meeting of the SOC in Astana"
    )
    report = page.locator(".cica-report")
    expect(report.locator("table.summary tr").first).to_contain_text(
        f"{MEMBERS - 1} of {MEMBERS}"
    )
    expect(report).not_to_contain_text("pre-filled, not checked")
    members = report.locator("h3", has_text="Member States").locator("+ table")
    expect(members.locator("tr", has_text="Kazakhstan")).to_contain_text("present")
    expect(members.locator("tr", has_text=EXCUSED)).to_contain_text("excused")
    absent = report.locator("h3", has_text="Members absent").locator("+ p")
    expect(absent).to_have_text(f"{EXCUSED}.")

    # The workbook downloads and opens, with the attendance as on the page.
    with page.expect_download() as download:
        page.get_by_role("link", name="Spreadsheet (xlsx)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == f"meeting-soc-{first:%Y-%m-%d}.xlsx"
    book = openpyxl.load_workbook(saved)
    attendance = {row[1]: row for row in book["Attendance"].iter_rows(values_only=True)}
    assert attendance["Kazakhstan"][0] == "Member States"
    assert attendance["United States"][0] == "Observers"
    assert attendance[EXCUSED][6] == "excused"
    assert [row[0] for row in book["Members absent"].iter_rows(values_only=True)][
        1:
    ] == [EXCUSED]

    # The PDF opens in the browser's viewer; its text names the parties.
    answer = follow(page, page.get_by_role("link", name="PDF"))
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pdf"
    pdf = page.context.request.get(page.url)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    for party in ["Kazakhstan", "China", "United States", "United Nations", EXCUSED]:
        assert party in text
    assert f"{MEMBERS - 1} of {MEMBERS}" in text
