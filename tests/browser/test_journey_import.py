"""Journey 4: a registry officer imports a spreadsheet with a mistake, reads the row's
error in the preview, corrects the file, imports it, and reverts the import.

Journey 8, a long import that shows its progress, waits for background tasks."""

import re

import openpyxl
import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from registry import rules
from tests.browser.screen import follow, log_in, visit
from tests.factories import UserFactory

HEADER = "party,status,date,basis\n"
BASIS = "Decision of the Senior Officials Committee (test)"


@pytest.fixture
def registry_officer(transactional_db):
    user = UserFactory(username="aigerim", is_superuser=False)
    user.groups.add(Group.objects.get(name="Registry officer"))
    return user


def upload(page, name, text):
    """Choose the file and its format on the import page, and send it."""
    page.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.get_by_label("Format").select_option(label="csv")
    follow(page, page.get_by_role("button", name="Submit"))


def status_today(page, code):
    visit(page, f"/admin/registry/party/?q={code}")
    return page.locator("#result_list tbody tr td.field-current_status")


@pytest.mark.usefixtures("cica_record")
def test_an_import_corrected_after_its_preview_then_reverted(page, registry_officer):
    log_in(page, "aigerim", "pw")
    expect(status_today(page, "IDN")).to_have_text("observer")

    visit(page, "/admin/registry/standingchange/")
    follow(page, page.locator(".object-tools").get_by_role("link", name="Import"))
    upload(
        page,
        "admissions.csv",
        HEADER
        + f"IDN,member,2024-05-01,{BASIS}\n"
        + f"PHL,suspended member,2024-05-01,{BASIS}\n",
    )
    # The preview names the row, the column and the rule; nothing can be confirmed.
    problems = page.locator("#import-problems tbody tr")
    expect(problems).to_have_count(1)
    expect(problems.locator("td").nth(0)).to_have_text("3")
    expect(problems.locator("td").nth(2)).to_have_text(
        rules.SUSPEND_NON_MEMBER % {"party": "Philippines", "on": "on 1 May 2024"}
    )
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)

    # The corrected file: the preview shows the rows to be written.
    upload(
        page,
        "admissions.csv",
        HEADER
        + f"IDN,member,2024-05-01,{BASIS}\n"
        + f"PHL,member,2024-05-01,{BASIS}\n",
    )
    expect(page.locator("#import-problems")).to_have_count(0)
    preview = page.locator("#import-preview tbody tr")
    expect(preview).to_have_count(2)
    expect(preview.nth(1).locator("td")).to_have_text(
        ["3", "New", "PHL", "member", "2024-05-01", BASIS]
    )
    follow(page, page.get_by_role("button", name="Confirm import"))

    # The batch's page: what the import wrote.
    expect(page.locator("#content")).to_contain_text("Changes of standing: 2 new")
    batch = page.url
    expect(status_today(page, "IDN")).to_have_text("member")

    visit(page, batch)
    follow(page, page.get_by_role("link", name="Revert this import"))
    follow(page, page.get_by_role("button", name="Yes, revert this import"))
    expect(page.locator(".messagelist .success")).to_contain_text(
        "reverted: 2 records restored or removed."
    )
    expect(page.get_by_role("link", name="Revert this import")).to_have_count(0)
    expect(status_today(page, "IDN")).to_have_text("observer")
    expect(status_today(page, "PHL")).to_have_text("observer")


@pytest.mark.xfail(
    strict=True,
    reason="issue 19: exports and imports run inside the request; no background "
    "task, so no progress to show",
)
@pytest.mark.usefixtures("cica_record")
def test_a_long_export_shows_its_progress_then_its_file(
    page, registry_officer, tmp_path
):
    log_in(page, "aigerim", "pw")
    visit(page, "/admin/registry/standingchange/")
    rows = page.locator("#result_list tbody tr").count()
    follow(page, page.locator(".object-tools").get_by_role("link", name="Export"))
    page.get_by_label("Format").select_option(label="xlsx")
    follow(page, page.get_by_role("button", name="Submit"))

    # The page follows the task: its progress while it runs, then its file.
    expect(page.get_by_role("progressbar")).to_be_visible()
    result = page.get_by_role("link", name=re.compile(r"\.xlsx"))
    expect(result).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        result.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    assert sheet.max_row == rows + 1  # the header and every change of standing
