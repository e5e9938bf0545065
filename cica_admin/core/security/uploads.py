"""What a document file attached to the record may be, and how it is sent back.

The Secretariat keeps texts (declarations, agreements, rules, memoranda) as PDF, word
processor or spreadsheet files, and scans as PDF or images. A file must carry one of
these extensions *and* begin as that type of file does, so a page or a program renamed
``.pdf`` is refused. The checks are model field validators on ``Document.file``: the
admin form, ``full_clean()`` in the services and any importer all apply them.

A file already stored is not read again: it was checked when it was uploaded, and an
edit to the document's title must not depend on the file store.
"""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

FILE_TOO_LARGE = _("“%(name)s” is %(size)s; a document file may be at most %(limit)s.")
FILE_TYPE_REFUSED = _(
    "“%(name)s” is not an accepted document file. Accepted: %(accepted)s."
)
FILE_CONTENT_MISMATCH = _(
    "“%(name)s” is not a %(kind)s file, whatever its name says: "
    "its content does not match its .%(extension)s extension."
)

DOCUMENT_FILE_HELP = _(
    "A PDF, Word, OpenDocument, RTF, Excel or plain-text file, or a scan as JPEG or "
    "PNG; its content must be what its name says."
)

# Enough of the head of a file to recognise every type below.
HEAD_BYTES = 2048


@dataclass(frozen=True)
class FileType:
    kind: str
    content_type: str
    # Shown in the browser rather than downloaded: types a browser renders safely.
    inline: bool = False


PDF = FileType("PDF", "application/pdf", inline=True)
TYPES = {
    "pdf": PDF,
    "doc": FileType("Word", "application/msword"),
    "docx": FileType(
        "Word",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "odt": FileType("OpenDocument text", "application/vnd.oasis.opendocument.text"),
    "rtf": FileType("RTF", "application/rtf"),
    "txt": FileType("plain text", "text/plain; charset=utf-8"),
    "xls": FileType("Excel", "application/vnd.ms-excel"),
    "xlsx": FileType(
        "Excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "ods": FileType(
        "OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet"
    ),
    "jpg": FileType("JPEG image", "image/jpeg", inline=True),
    "jpeg": FileType("JPEG image", "image/jpeg", inline=True),
    "png": FileType("PNG image", "image/png", inline=True),
}
ACCEPTED = ", ".join(f".{extension}" for extension in TYPES)
DOWNLOAD = FileType("file", "application/octet-stream")

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 and Excel 97-2003


def extension_of(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def file_type_of(name):
    """How a stored file is served: its type by extension, else a plain download."""
    return TYPES.get(extension_of(name), DOWNLOAD)


def _opendocument_mimetype(handle):
    """The ``mimetype`` member an OpenDocument file starts with (never decompressed
    beyond its first bytes, so an archive bomb costs nothing)."""
    try:
        with zipfile.ZipFile(handle) as archive:
            if "mimetype" not in archive.namelist():
                return ""
            with archive.open("mimetype") as member:
                return member.read(100).decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, OSError):
        return ""


def _ooxml_has(handle, part):
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
    return "[Content_Types].xml" in names and part in names


def content_matches(extension, handle):
    """Whether the open, seekable file ``handle`` begins as a file of this type does."""
    handle.seek(0)
    head = handle.read(HEAD_BYTES)
    handle.seek(0)
    match extension:
        case "pdf":
            # The header may follow a little junk; readers accept it in the first KB.
            return b"%PDF-" in head[:1024]
        case "doc" | "xls":
            return head.startswith(OLE2)
        case "docx":
            return head.startswith(b"PK\x03\x04") and _ooxml_has(
                handle, "word/document.xml"
            )
        case "xlsx":
            return head.startswith(b"PK\x03\x04") and _ooxml_has(
                handle, "xl/workbook.xml"
            )
        case "odt" | "ods":
            return head.startswith(b"PK\x03\x04") and (
                _opendocument_mimetype(handle) == TYPES[extension].content_type
            )
        case "rtf":
            return head.startswith(b"{\\rtf")
        case "txt":
            return b"\x00" not in head
        case "jpg" | "jpeg":
            return head.startswith(b"\xff\xd8\xff")
        case "png":
            return head.startswith(b"\x89PNG\r\n\x1a\n")
    return False


def _uploaded(value):
    """The file just uploaded, or None for one already in storage."""
    if getattr(value, "_committed", True):
        return None
    return value.file


def validate_document_size(value):
    """A model field validator: at most DOCUMENT_MAX_BYTES."""
    upload = _uploaded(value)
    if upload is None:
        return
    limit = settings.DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            FILE_TOO_LARGE,
            code="file_too_large",
            params={
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
        )


def validate_document_type(value):
    """A model field validator: an accepted extension, and content to match it."""
    upload = _uploaded(value)
    if upload is None:
        return
    name = upload.name or ""
    extension = extension_of(name)
    if extension not in TYPES:
        raise ValidationError(
            FILE_TYPE_REFUSED,
            code="file_type_refused",
            params={"name": name, "accepted": ACCEPTED},
        )
    position = upload.tell()
    try:
        matches = content_matches(extension, upload)
    finally:
        upload.seek(position)
    if not matches:
        raise ValidationError(
            FILE_CONTENT_MISMATCH,
            code="file_content_mismatch",
            params={
                "name": name,
                "kind": TYPES[extension].kind,
                "extension": extension,
            },
        )
