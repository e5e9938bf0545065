"""Every hostile file, through both ways in, the admin's import page and the
``import_sheet`` command: refused with its own message, and nothing written (no
record, no history row, no import batch)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cica_admin.core.models import ImportBatch
from finance.models import Contribution
from tests.factories import member
from tests.helpers import record_state

from .helpers import csv_bytes, xlsx_bytes
from .test_hostile_files import shared_strings, with_part, zip_with

pytestmark = pytest.mark.django_db

HEADERS = ["party", "reference", "received", "amount", "currency", "note"]
ROW = ["KAZ", "H-1", "2020-03-01", "10", "USD", "blanked?"]


def dimension_sheet(rows):
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:F{rows}"/><sheetData><row r="1"><c r="A1" '
        't="inlineStr"><is><t>party</t></is></c></row></sheetData></worksheet>'
    )


# name: (file name, the file's bytes, settings, the message it gets)
CASES = {
    "over the size limit": (
        "c.xlsx",
        lambda: xlsx_bytes([HEADERS, *[ROW] * 200]),
        {"SPREADSHEET_MAX_BYTES": 2000},
        "the limit is",
    ),
    "zip bomb": (
        "c.xlsx",
        lambda: zip_with([("xl/worksheets/sheet1.xml", b"0" * (2 * 1024 * 1024))]),
        {"SPREADSHEET_MAX_UNPACKED_BYTES": 1024 * 1024},
        "would unpack to",
    ),
    "too many parts": (
        "c.xlsx",
        lambda: zip_with([(f"xl/part{i}.xml", b"x") for i in range(60)]),
        {"SPREADSHEET_MAX_ENTRIES": 50},
        "parts",
    ),
    "one part too big": (
        "c.xlsx",
        lambda: xlsx_bytes([HEADERS, [*ROW[:5], "x" * 30_000]]),
        {"SPREADSHEET_MAX_PART_BYTES": 20_000},
        "that would unpack to",
    ),
    "too many texts": (
        "c.xlsx",
        lambda: with_part(
            xlsx_bytes([HEADERS, ROW]), "xl/sharedStrings.xml", shared_strings(20)
        ),
        {"SPREADSHEET_MAX_SHARED_STRINGS": 10},
        "more than 10 different texts",
    ),
    "declares too many rows": (
        "c.xlsx",
        lambda: with_part(
            xlsx_bytes([HEADERS]), "xl/worksheets/sheet1.xml", dimension_sheet(200)
        ),
        {"SPREADSHEET_MAX_ROWS": 100},
        "more than 100 rows",
    ),
    "formula without its result": (
        "c.xlsx",
        lambda: xlsx_bytes([HEADERS, [*ROW[:5], "=1+1"]]),
        {},
        "holds the formula =1+1",
    ),
    "csv named xlsx": ("c.xlsx", lambda: csv_bytes([HEADERS, ROW]), {}, "not an Excel"),
    "old xls": ("c.xlsx", lambda: b"\xd0\xcf\x11\xe0" + b"\0" * 100, {}, "97-2003"),
    "ods named xlsx": (
        "c.xlsx",
        lambda: _ods(),
        {},
        "OpenDocument spreadsheet",
    ),
    "xlsx named csv": ("c.csv", lambda: xlsx_bytes([HEADERS, ROW]), {}, "not a CSV"),
    "windows-1251 csv": (
        "c.csv",
        lambda: "party,note\nKAZ,Казахстан\n".encode("cp1251"),
        {},
        "not in UTF-8",
    ),
    "utf-16 csv": (
        "c.csv",
        lambda: "party,note\nKAZ,Казахстан\n".encode("utf-16"),
        {},
        "UTF-16",
    ),
    "binary csv": ("c.csv", lambda: b"party\x00,note\n", {}, "binary"),
    "column named twice": (
        "c.csv",
        lambda: csv_bytes([["party", "party"], ["KAZ", "KAZ"]]),
        {},
        "appears twice",
    ),
    "value in an unnamed column": (
        "c.csv",
        lambda: csv_bytes([["party", ""], ["KAZ", "x"]]),
        {},
        "which has no name",
    ),
}


def _ods():
    import tablib

    from cica_admin.core.spreadsheets.files import ODS

    return ODS().export_data(tablib.Dataset(ROW, headers=HEADERS))


@pytest.fixture
def recorded(db):
    """A contribution the hostile file must leave as it is."""
    from finance import services

    state = member(country="KZ")
    return services.contribution_save(
        Contribution(
            party=state,
            reference="H-1",
            received="2020-03-01",
            amount="10",
            currency="USD",
            note="kept",
        )
    )


def case(name, settings):
    file_name, build, limits, message = CASES[name]
    for setting, value in limits.items():
        setattr(settings, setting, value)
    return file_name, build(), message


@pytest.mark.parametrize("name", CASES)
def test_the_admin_refuses_it_and_writes_nothing(
    clerk_client, recorded, settings, name
):
    file_name, data, message = case(name, settings)
    upload = io.BytesIO(data)
    upload.name = file_name
    before = record_state()

    response = clerk_client.post(
        reverse("admin:finance_contribution_import"),
        {"import_file": upload, "format": "1" if file_name.endswith(".csv") else "0"},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert record_state() == before
    assert not ImportBatch.objects.exists()
    assert Contribution.objects.get().note == "kept"


@pytest.mark.parametrize("name", CASES)
def test_the_command_refuses_it_and_writes_nothing(recorded, settings, tmp_path, name):
    file_name, data, message = case(name, settings)
    path = tmp_path / file_name
    path.write_bytes(data)
    before = record_state()

    with pytest.raises(CommandError) as refusal:
        call_command("import_sheet", "contribution", str(path), stderr=io.StringIO())

    assert message in str(refusal.value)
    assert record_state() == before
    assert not ImportBatch.objects.exists()
