import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def test_meeting_report_to_pdf(cica_record, tmp_path):
    path = tmp_path / "summit.pdf"
    out = io.StringIO()
    call_command(
        "report", "meeting", "summit-4", "--format", "pdf", "-o", path, stdout=out
    )
    text = " ".join(PdfReader(path).pages[0].extract_text().split())
    assert "Report of the Fourth Summit" in text
    assert "Report of the Fourth Summit: written to" in out.getvalue()


def test_register_to_xlsx_and_html(cica_record, tmp_path):
    call_command(
        "report", "register", "--on", "2014-05-22", "--format", "xlsx",
        "-o", tmp_path / "r.xlsx", stdout=io.StringIO(),
    )  # fmt: skip
    workbook = load_workbook(tmp_path / "r.xlsx")
    assert len(list(workbook["Members"].values)) - 1 == 26
    call_command(
        "report", "register", "--as-of", "2000-01-01", "--format", "html",
        "-o", tmp_path / "r.html", stdout=io.StringIO(),
    )  # fmt: skip
    html = (tmp_path / "r.html").read_text()
    assert "As the records stood on 1 January 2000" in html
    assert "0 members" in html  # nothing was recorded yet then


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["meeting"], "Name the meeting"),
        (["meeting", "summit-99"], "No meeting “summit-99”"),
        (["register", "--year", "2020"], "--year does not apply"),
        (["register", "--on", "2014-13-01"], "on: Enter a valid date"),
        (["finance", "--year", "1700"], "year: Ensure this value is greater"),
        (["chairmanship", "KAZ"], "not about one record"),
    ],
)
def test_bad_arguments_are_refused_with_a_reason(cica_record, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", *args, "-o", tmp_path / "x", stdout=io.StringIO())
    assert not (tmp_path / "x").exists()


def test_the_finance_report_takes_synthetic_data_when_asked(finance_records, tmp_path):
    out = io.StringIO()
    call_command(
        "report", "finance", "--include-synthetic", "--format", "html",
        "-o", tmp_path / "f.html", stdout=out,
    )  # fmt: skip
    assert "Voluntary contributions — with synthetic data: written to" in (
        out.getvalue()
    )
    assert "This report includes synthetic data" in (tmp_path / "f.html").read_text()
    with pytest.raises(CommandError, match="--include-synthetic does not apply"):
        call_command("report", "register", "--include-synthetic")
