import io
import re
import zipfile

import openpyxl
import pytest
import tablib
from openpyxl.worksheet.formula import ArrayFormula

from cica_admin.core.spreadsheets.files import (
    CSV,
    ODS,
    XLSX,
    SpreadsheetRefused,
    escape_cell,
    unescape_cell,
)
from finance.models import Contribution
from finance.resources import ContributionResource
from registry.models import Party
from registry.resources import PartyResource
from tests.factories import member

from .helpers import csv_bytes, read, run_import, xlsx_bytes

TRIGGERS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("text", TRIGGERS)
def test_text_a_spreadsheet_would_run_is_escaped_on_every_export_format(db, text):
    Party.objects.create(kind="organization", acronym="ORG", name="Org", note=text)
    dataset = PartyResource().export()

    as_csv = CSV().export_data(dataset).decode("utf-8-sig")
    book = openpyxl.load_workbook(io.BytesIO(XLSX().export_data(dataset)))
    as_ods = tablib.Dataset().load(ODS().export_data(dataset), "ods")

    assert f",{escape_cell(text)}," in as_csv.replace('"', "")
    # An xlsx cell cannot hold a bare carriage return: it is read back as a newline.
    assert list(book.active.values)[1][4][0] == "'"
    assert as_ods[0][4].startswith("'")


@pytest.mark.parametrize("text", [*TRIGGERS, "'=quoted", "''+", "plain", "it's"])
def test_escaping_reads_back_exactly(text):
    assert unescape_cell(escape_cell(text)) == text


def test_an_escaped_export_re_imports_to_the_same_text(db):
    Party.objects.create(kind="organization", acronym="ORG", name="=Org", note="-5")
    data = CSV().export_data(PartyResource().export())

    result = PartyResource().import_data(CSV().create_dataset(data), file_name="x")

    assert result.counts["unchanged"] == 1


def test_a_file_over_the_size_limit_is_refused_before_parsing(settings):
    settings.SPREADSHEET_MAX_BYTES = 1000
    with pytest.raises(SpreadsheetRefused, match="the limit is"):
        read(xlsx_bytes([["party"], *[["KAZ"]] * 500]))


def zip_with(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, data in entries:
            archive.writestr(name, data)
    return out.getvalue()


def test_a_zip_bomb_is_refused_from_its_declared_size(settings):
    settings.SPREADSHEET_MAX_UNPACKED_BYTES = 5 * 1024 * 1024
    bomb = zip_with([("xl/worksheets/sheet1.xml", b"0" * (20 * 1024 * 1024))])
    assert len(bomb) < 100_000

    with pytest.raises(SpreadsheetRefused, match="would unpack to"):
        read(bomb)


def test_a_workbook_of_too_many_parts_is_refused(settings):
    settings.SPREADSHEET_MAX_ENTRIES = 50
    with pytest.raises(SpreadsheetRefused, match="parts"):
        read(zip_with([(f"xl/part{i}.xml", b"x") for i in range(60)]))


def test_a_sheet_of_a_million_blank_rows_is_refused():
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" s="0"/></row>' for n in range(2, 1_000_002)
    )
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>party</t></is></c></row>'
        f"{rows}</sheetData></worksheet>"
    )
    data = io.BytesIO(xlsx_bytes([["party"]]))
    out = io.BytesIO()
    with (
        zipfile.ZipFile(data) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                content = sheet.encode()
            target.writestr(entry.filename, content)

    with pytest.raises(SpreadsheetRefused, match="more than 100,000 rows"):
        read(out.getvalue())


@pytest.mark.parametrize(
    ("data", "kind", "message"),
    [
        (b"party,amount\nKAZ,1\n", "xlsx", "not an Excel workbook"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "xlsx", "Excel 97-2003"),
        (None, "csv", "is an Excel workbook, not a CSV"),
        ("party,note\nKAZ,Казахстан\n".encode("cp1251"), "csv", "not in UTF-8"),
        (b"party\x00,note\n", "csv", "binary"),
        ("party,note\nKAZ,Казахстан\n".encode("utf-16"), "csv", "UTF-16"),
        ("ods", "xlsx", "OpenDocument spreadsheet"),
    ],
    ids=["csv-as-xlsx", "xls", "xlsx-as-csv", "cp1251", "binary", "utf-16", "ods"],
)
def test_a_file_that_is_not_what_it_says_is_refused(data, kind, message):
    if data is None:
        data = xlsx_bytes([["party"], ["KAZ"]])
    elif data == "ods":
        data = ODS().export_data(tablib.Dataset(["KAZ"], headers=["party"]))
    with pytest.raises(SpreadsheetRefused, match=message):
        read(data, kind)


def with_computed_values(data, values):
    """``data``, an xlsx whose formulas openpyxl wrote without results, given the
    results ``values`` (cell reference -> text), as Excel would have saved them."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                for cell, value in values.items():
                    text = re.sub(
                        rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?',
                        rf'<c r="{cell}"\1 t="str"><f>\2</f><v>{value}</v>',
                        text,
                    )
                content = text.encode()
            target.writestr(entry.filename, content)
    return out.getvalue()


NOTE_ROWS = [
    ["party", "reference", "received", "amount", "currency", "note"],
    ["KAZ", "F-1", "2020-03-01", "10", "USD", '=HYPERLINK("http://x","y")'],
]


def test_a_formula_without_its_result_is_refused_and_blanks_nothing(db, clerk):
    """A script's xlsx holds formulas that no program has calculated: read as
    values they are empty, and would blank what they are imported into."""
    member(country="KZ")
    run_import(ContributionResource, [NOTE_ROWS[0], [*NOTE_ROWS[1][:5], "Kept"]])

    with pytest.raises(SpreadsheetRefused) as refusal:
        read(xlsx_bytes(NOTE_ROWS))

    assert "Row 2, column F holds the formula =HYPERLINK" in str(refusal.value)
    with pytest.raises(SpreadsheetRefused):
        run_import(ContributionResource, NOTE_ROWS, user=clerk)
    assert Contribution.objects.get().note == "Kept"


def test_a_formula_is_read_as_the_result_its_program_computed(db, clerk):
    member(country="KZ")
    data = with_computed_values(xlsx_bytes(NOTE_ROWS), {"F2": "y"})

    dataset = read(data)

    assert dataset.dict[0]["note"] == "y"


def test_a_formula_that_computed_empty_text_is_read_as_empty_text(db):
    """Excel and LibreOffice store an empty text result as a text cell with an empty
    value; it was computed, and is not refused as a formula without its result."""
    member(country="KZ")
    data = with_computed_values(xlsx_bytes(NOTE_ROWS), {"F2": ""})

    dataset = read(data)

    assert dataset.dict[0]["note"] == ""


def test_an_array_formula_without_its_result_is_refused(db):
    book = openpyxl.Workbook()
    book.active.append(NOTE_ROWS[0])
    book.active.append(NOTE_ROWS[1][:5])
    book.active["F2"] = ArrayFormula("F2", "=SUM(1)")
    out = io.BytesIO()
    book.save(out)

    with pytest.raises(SpreadsheetRefused, match="Row 2, column F holds the formula"):
        read(out.getvalue())


def test_a_semicolon_separated_csv_from_a_european_excel_is_read(db):
    dataset = read(b"party;amount\nKAZ;1\n", "csv")
    assert dataset.headers == ["party", "amount"]
    assert list(dataset[0]) == ["KAZ", "1"]


def test_a_value_under_an_unnamed_column_is_refused():
    with pytest.raises(SpreadsheetRefused, match="column C"):
        read(csv_bytes([["party", "amount"], ["KAZ", "1", "stray"]]), "csv")


def with_part(data, name, content):
    """``data``, an xlsx, with its part ``name`` replaced by ``content``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            if entry.filename != name:
                target.writestr(entry.filename, source.read(entry.filename))
        target.writestr(name, content)
    return out.getvalue()


def test_a_part_too_big_to_parse_is_refused_before_parsing(settings):
    settings.SPREADSHEET_MAX_PART_BYTES = 20_000
    data = xlsx_bytes([["party", "note"], ["KAZ", "x" * 30_000]])
    with pytest.raises(SpreadsheetRefused, match=r"part \(xl/worksheets/sheet1.xml\)"):
        read(data)


def shared_strings(count):
    return (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(f"<si><t>text {n}</t></si>" for n in range(count))
        + "</sst>"
    )


@pytest.mark.parametrize(("count", "refused"), [(7, False), (8, True)])
def test_a_workbook_of_too_many_texts_is_refused_before_parsing(
    settings, count, refused
):
    settings.SPREADSHEET_MAX_SHARED_STRINGS = 7
    data = with_part(
        xlsx_bytes([["party"], ["KAZ"]]), "xl/sharedStrings.xml", shared_strings(count)
    )
    if refused:
        with pytest.raises(SpreadsheetRefused, match="more than 7 different texts"):
            read(data)
    else:
        assert read(data).dict == [{"party": "KAZ"}]


def test_texts_are_counted_exactly_across_the_chunks_they_unpack_in():
    from cica_admin.core.spreadsheets.files import _SHARED_STRING, _occurrences

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("part.xml", b"<sst>" + b"<si><t>x</t></si>" * 200_001)
    with zipfile.ZipFile(out) as archive:
        count = _occurrences(archive, "part.xml", _SHARED_STRING, stop=10**9)
    assert count == 200_001


def test_a_sheet_that_declares_too_many_rows_is_refused_from_its_first_bytes():
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<dimension ref="A1:B200000"/><sheetData><row r="1"><c r="A1" '
        't="inlineStr"><is><t>party</t></is></c></row></sheetData></worksheet>'
    )
    data = with_part(xlsx_bytes([["party"]]), "xl/worksheets/sheet1.xml", sheet)
    with pytest.raises(SpreadsheetRefused, match="more than 100,000 rows"):
        read(data)


def test_a_sheet_that_declares_fewer_rows_than_it_holds_is_read_whole():
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>P{n}</t></is></c></row>'
        for n in range(2, 5)
    )
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<dimension ref="A1:A2"/><sheetData><row r="1"><c r="A1" t="inlineStr">'
        f"<is><t>party</t></is></c></row>{rows}</sheetData></worksheet>"
    )
    data = with_part(xlsx_bytes([["party"]]), "xl/worksheets/sheet1.xml", sheet)
    assert [row["party"] for row in read(data).dict] == ["P2", "P3", "P4"]


def test_self_closing_texts_are_counted_too(settings):
    settings.SPREADSHEET_MAX_SHARED_STRINGS = 7
    texts = '<sst xmlns="x">' + "<si/>" * 8 + "</sst>"
    data = with_part(xlsx_bytes([["party"], ["KAZ"]]), "xl/sharedStrings.xml", texts)
    with pytest.raises(SpreadsheetRefused, match="more than 7 different texts"):
        read(data)
