import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cica_admin.core.security import uploads
from cica_admin.core.services import record_save
from meetings.models import Document
from tests.factories import staff_with

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def ooxml(part):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


def opendocument(mimetype):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<x/>")
    return buffer.getvalue()


ACCEPTED = {
    "declaration.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    "minutes.doc": uploads.OLE2 + b"\x00" * 64,
    "minutes.docx": ooxml("word/document.xml"),
    "budget.xlsx": ooxml("xl/workbook.xml"),
    "budget.XLS": uploads.OLE2 + b"\x00" * 64,
    "act.odt": opendocument("application/vnd.oasis.opendocument.text"),
    "table.ods": opendocument("application/vnd.oasis.opendocument.spreadsheet"),
    "note.rtf": b"{\\rtf1\\ansi Note}",
    "note.txt": "Заявление".encode(),
    "scan.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF",
    "scan.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
}
REFUSED_TYPE = {
    "setup.exe": b"MZ\x90\x00",
    "page.html": b"<html><script>alert(1)</script></html>",
    "drawing.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    "no-extension": b"%PDF-1.4",
}
DISGUISED = {
    "declaration.pdf": b"<html><script>alert(1)</script></html>",
    "statute.pdf": b"MZ\x90\x00 a program",
    "minutes.docx": ooxml("xl/workbook.xml"),  # a workbook named as a text
    "act.odt": opendocument("application/vnd.oasis.opendocument.spreadsheet"),
    "minutes.doc": b"PK\x03\x04 not OLE",
    "scan.png": b"\xff\xd8\xff\xe0 a JPEG",
    "note.txt": b"MZ\x00\x00\x00 binary",
}


def document_with(name, content):
    document = Document(kind="statute", title="Statute")
    document.file = SimpleUploadedFile(name, content)
    return document


@pytest.mark.parametrize("name", ACCEPTED)
def test_documents_and_scans_are_accepted(media, name):
    record_save(document_with(name, ACCEPTED[name]))  # full_clean() first

    document = Document.objects.get()
    assert document.file.name.endswith(name)
    assert (media / document.file.name).read_bytes() == ACCEPTED[name]


@pytest.mark.parametrize("name", REFUSED_TYPE)
def test_other_types_are_refused_by_name(name):
    with pytest.raises(ValidationError) as refused:
        document_with(name, REFUSED_TYPE[name]).full_clean()
    message = refused.value.message_dict["file"][0]
    assert name in message
    assert ".pdf, .doc, .docx" in message


@pytest.mark.parametrize("name", DISGUISED)
def test_a_file_whose_content_is_not_its_type_is_refused(name):
    with pytest.raises(ValidationError) as refused:
        document_with(name, DISGUISED[name]).full_clean()
    message = refused.value.message_dict["file"][0]
    assert f"“{name}” is not a" in message
    assert "content does not match" in message


@pytest.mark.parametrize(("size", "accepted"), [(1024, True), (1025, False)])
def test_the_size_limit_is_a_setting(settings, size, accepted):
    settings.DOCUMENT_MAX_BYTES = 1024
    document = document_with("big.pdf", b"%PDF-1.4" + b"0" * (size - 8))
    if accepted:
        document.full_clean()
        return
    with pytest.raises(ValidationError) as refused:
        document.full_clean()
    assert refused.value.message_dict["file"] == [
        "“big.pdf” is 1.0\xa0KB; a document file may be at most 1.0\xa0KB."
    ]


def test_a_stored_file_is_not_read_again_when_the_document_is_edited(
    media, monkeypatch
):
    document = Document(kind="statute", title="Statute")
    document.file.save("statute.pdf", ContentFile(b"%PDF-1.4 statute"), save=True)
    (media / document.file.name).unlink()  # e.g. the file store is elsewhere
    opened = []
    monkeypatch.setattr(
        FileSystemStorage, "open", lambda storage, name, mode="rb": opened.append(name)
    )
    document = Document.objects.get()

    document.title = "Statute of CICA"
    record_save(document)  # full_clean() first: the file's validators run

    assert opened == []
    assert Document.objects.get().title == "Statute of CICA"


def admin_form(**fields):
    return {
        "kind": "statute",
        "title": "Statute",
        "adopted_at": "",
        "date": "",
        "precision": "unknown",
        "amends": "",
        "supersedes": "",
        "counterpart": "",
        "source": "",
        "note": "",
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        **fields,
    }


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("installer.exe", b"MZ\x90\x00", "is not an accepted document file"),
        ("statute.pdf", b"<html><script>alert(1)</script>", "is not a PDF file"),
        ("statute.pdf", b"%PDF-1.4" + b"0" * 2048, "may be at most 2.0\xa0KB"),
    ],
)
def test_the_admin_refuses_a_bad_file_beside_the_field_and_saves_nothing(
    clerk_client, settings, media, name, content, error
):
    settings.DOCUMENT_MAX_BYTES = 2048
    response = clerk_client.post(
        reverse("admin:meetings_document_add"),
        admin_form(file=SimpleUploadedFile(name, content)),
    )
    assert response.status_code == 200
    assert error in str(response.context["adminform"].form.errors["file"])
    assert not Document.objects.exists()
    assert not any(media.rglob("*.*"))


def test_the_admin_stores_a_good_file(clerk_client, media):
    response = clerk_client.post(
        reverse("admin:meetings_document_add"),
        admin_form(file=SimpleUploadedFile("statute.pdf", b"%PDF-1.4 statute")),
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (media / document.file.name).read_bytes() == b"%PDF-1.4 statute"


def test_the_file_picker_offers_the_accepted_kinds(clerk_client):
    page = clerk_client.get(reverse("admin:meetings_document_add")).content.decode()
    assert 'accept=".pdf, .doc, .docx' in page


def stored(name, content):
    document = Document(kind="statute", title=f"Statute {name}")
    document.file.save(name, ContentFile(content), save=True)
    return document


def body(response):
    return b"".join(response.streaming_content)


def test_a_user_who_may_view_documents_gets_the_file(client):
    document = stored("statute.pdf", b"%PDF-1.4 statute")
    client.force_login(staff_with("view_document"))
    response = client.get(document.file.url)
    assert response.status_code == 200
    assert body(response) == b"%PDF-1.4 statute"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_types_a_browser_should_not_render_are_downloaded(client):
    document = stored("minutes.docx", ooxml("word/document.xml"))
    client.force_login(staff_with("view_document"))
    response = client.get(document.file.url)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == uploads.TYPES["docx"].content_type


def test_a_file_stored_before_the_rules_is_sent_as_a_plain_download(client):
    document = stored("old-page.html", b"<script>alert(1)</script>")
    client.force_login(staff_with("view_document"))
    response = client.get(document.file.url)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_staff_without_the_document_permission_get_403(client):
    document = stored("statute.pdf", b"%PDF-1.4 statute")
    client.force_login(staff_with("view_meeting"))
    assert client.get(document.file.url).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    document = stored("statute.pdf", b"%PDF-1.4 statute")
    response = client.get(document.file.url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "path",
    [
        "/media/../cica_admin/settings/base.py",
        "/media/documents/../../manage.py",
        "/media/elsewhere.pdf",
    ],
)
def test_only_files_of_documents_are_served(client, media, path):
    stored("statute.pdf", b"%PDF-1.4 statute")
    (media / "elsewhere.pdf").write_bytes(b"%PDF-1.4 not a document's file")
    client.force_login(staff_with("view_document"))
    assert client.get(path).status_code == 404
