"""The restore drill: back up, wipe, restore; the record and every file come back."""

import gzip
import io

import dbbackup.settings
import openpyxl
import pypdf
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from cica_admin.core.spreadsheets.workbook import export_workbook
from meetings.models import Document
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def backups(settings, tmp_path, monkeypatch):
    """Backups and document files under the test's own directory. django-dbbackup
    reads its settings once, when it is first imported, hence the patch."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(
        dbbackup.settings, "STORAGE_OPTIONS", {"location": str(tmp_path / "backups")}
    )
    return tmp_path / "backups"


def workbook_values():
    """Every cell of the whole-database workbook that `export_workbook` writes."""
    out = io.BytesIO()
    export_workbook(out)
    book = openpyxl.load_workbook(out, read_only=True)
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def a_pdf(text):
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def quiet(command, *args):
    call_command(command, *args, verbosity=0, stdout=io.StringIO())


def test_a_backup_restores_the_record_and_every_document_file(finance_records, backups):
    for title in ("Statute", "Rules of procedure"):
        document = DocumentFactory.build(title=title)
        document.file.save(f"{title}.pdf", ContentFile(a_pdf(title)), save=False)
        document.save()
    before = workbook_values()
    assert sum(len(rows) - 1 for rows in before.values()) > 300  # a real record

    quiet("backup")
    quiet("flush", "--noinput")
    for document_file in (backups.parent / "media").rglob("*.pdf"):
        document_file.unlink()
    assert not Document.objects.exists()

    quiet("restore", "--noinput")

    assert workbook_values() == before
    documents = Document.objects.exclude(file="")
    assert {d.title for d in documents} == {"Statute", "Rules of procedure"}
    for document in documents:
        with document.file.open("rb") as handle:
            assert pypdf.PdfReader(handle).metadata.title == document.title


@pytest.mark.parametrize(
    "content",
    [b"", b"not a database at all", b"SQLite format 3\x00" + b"\x00" * 200],
    ids=["empty", "text", "damaged"],
)
def test_a_file_that_is_not_a_backup_is_refused_and_changes_nothing(
    finance_records, backups, content
):
    before = workbook_values()
    quiet("backup")
    bogus = "default-elsewhere-2026-01-01-000000.dump.gz"
    (backups / bogus).write_bytes(gzip.compress(content))

    with pytest.raises(CommandError, match="nothing was changed"):
        quiet("restore", "--noinput", "--database", bogus)

    assert workbook_values() == before


def test_restore_names_a_backup_that_is_not_there(finance_records, backups):
    quiet("backup")
    with pytest.raises(CommandError, match=r"There is no backup nowhere\.gz in"):
        quiet("restore", "--noinput", "--database", "nowhere.gz")


def test_restore_without_backups_says_so(db, backups):
    with pytest.raises(CommandError, match="There is no backup of the database in"):
        quiet("restore", "--noinput")
