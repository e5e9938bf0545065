import io

import openpyxl
import pytest

from cica_admin.core import history
from cica_admin.core.audit import export
from registry import services
from tests.factories import MeetingFactory, StateFactory

from .conftest import at, audit_log, date_history

pytestmark = pytest.mark.django_db


def workbook(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"].startswith("attachment;")
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_export_has_one_row_per_entry_with_its_changes(auditor_client, clerk):
    state = StateFactory(name="Siam")
    state.name = "Thailand"
    services.record_save(state, actor=clerk, reason="renamed")
    date_history(state, at(2024, 3, 10, 23, 30))
    book = workbook(audit_log(auditor_client, format="xlsx", action="~"))
    rows = list(book["Audit log"].values)
    assert rows[0] == (
        "When",
        "User",
        "Action",
        "Kind of record",
        "Record id",
        "Record",
        "Reason",
        "Import batch",
        "Changes",
    )
    assert rows[1:] == [
        (
            at(2024, 3, 10, 23, 30).replace(tzinfo=None),  # local time, as shown
            "clerk",
            "changed",
            "Party",
            state.pk,
            "Thailand",
            "renamed",
            None,
            "Name: Siam → Thailand",
        )
    ]
    about = dict(book["About"].iter_rows(min_row=3, values_only=True))
    assert about == {"Times": "Asia/Almaty", "Action": "changed"}


def test_an_admin_edit_says_so_in_the_reason_column_as_on_the_page(
    auditor_client, clerk
):
    state = StateFactory(name="Siam")
    state.name = "Thailand"
    services.record_save(state, actor=clerk)  # no reason: an edit in the admin
    rows = list(
        workbook(audit_log(auditor_client, format="xlsx", action="~"))[
            "Audit log"
        ].values
    )
    assert rows[1][6] == "in the admin"


def test_every_column_reads_as_on_the_page(auditor_client, clerk):
    state = StateFactory(name="Siam", note="")  # written by no user
    state.name, state.note = "Thailand", "renamed in 1939"
    services.record_save(state, actor=clerk)
    rows = list(workbook(audit_log(auditor_client, format="xlsx"))["Audit log"].values)
    changed, added = rows[1], rows[2]
    assert added[1] == "no user recorded"
    assert changed[8].splitlines() == [
        "Name: Siam → Thailand",
        "Note: — → renamed in 1939",
    ]


def test_exported_text_cannot_run_as_a_formula(auditor_client):
    StateFactory(name='=HYPERLINK("http://evil")', note="+1-1")
    rows = list(workbook(audit_log(auditor_client, format="xlsx"))["Audit log"].values)
    (record, changes) = rows[1][5], rows[1][8]
    assert record == '\'=HYPERLINK("http://evil")'
    assert not changes.startswith(("=", "+", "-", "@"))


def test_the_export_keeps_the_filters_of_the_page(auditor_client):
    StateFactory(name="Kept")
    MeetingFactory()
    rows = list(
        workbook(audit_log(auditor_client, format="xlsx", model="registry.party"))[
            "Audit log"
        ].values
    )
    assert [row[5] for row in rows[1:]] == ["Kept"]


def test_too_many_rows_are_refused_with_a_message(auditor_client, settings):
    settings.AUDIT_EXPORT_MAX_ROWS = 2
    for index in range(3):
        StateFactory(name=f"S{index}")
    response = audit_log(auditor_client, format="xlsx")
    assert response.status_code == 400
    assert response.context["error"] == export.TOO_MANY % {"count": 3, "limit": 2}
    assert not response.has_header("Content-Disposition")


def test_an_unknown_format_is_refused(auditor_client):
    response = audit_log(auditor_client, format="pdf")
    assert response.status_code == 400
    assert (
        response.context["error"]
        == "The audit log can be shown as a page or exported as xlsx."
    )


def test_chunks_read_every_row_once_even_when_dates_tie_across_tables(db):
    states = [StateFactory(name=f"S{i}") for i in range(5)]
    meetings = [MeetingFactory(title=f"M{i}") for i in range(4)]
    # The same moment, and the same history ids in two tables.
    for index, record in enumerate([*states, *meetings]):
        row = date_history(record, at(2024, 1, 1, 12))
        type(row).objects.filter(pk=row.pk).update(history_id=10_000 + index % 5)
    branches = [(model, model.history.all()) for model in history.tracked_models()]
    whole = list(export.rows(branches, chunk=1000))
    assert len(whole) == history.count(branches) == 10  # and the meetings' body
    assert len({(row[3], row[4]) for row in whole}) == 10
    for size in (1, 2, 4):
        assert list(export.rows(branches, chunk=size)) == whole
