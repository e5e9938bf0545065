"""Reading spreadsheets safely: every check that can refuse a file runs before the
file is parsed, and every refusal says what is wrong in a clerk's words.

The formats subclass django-import-export's, so the admin and the commands use them
as they would the stock ones; only ``create_dataset`` (reading) and the cell escaping
on export differ.
"""

import csv
import io
import re
import zipfile

import openpyxl
import tablib
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from import_export.formats import base_formats
from openpyxl.worksheet.formula import ArrayFormula

TOO_BIG = _(
    "The file is %(size)s; the limit is %(limit)s. Split it into smaller files."
)
NOT_XLSX = _(
    "This file is not an Excel workbook (.xlsx), whatever its name says. Open it in "
    "Excel or LibreOffice and save it as .xlsx, or choose the format it really has."
)
OLD_XLS = _(
    "This is an old Excel 97-2003 (.xls) file. Save it as an Excel workbook (.xlsx)."
)
ZIP_BOMB = _(
    "The workbook would unpack to %(size)s in %(entries)s parts, more than a "
    "spreadsheet of this system needs (limit %(limit)s, %(max_entries)s parts). It "
    "was not opened."
)
PART_TOO_BIG = _(
    "The workbook holds a part (%(part)s) that would unpack to %(size)s, more than a "
    "spreadsheet of this system needs (limit %(limit)s). It was not opened."
)
TOO_MANY_STRINGS = _(
    "The workbook holds more than %(limit)s different texts, more than a spreadsheet "
    "of this system needs. It was not opened."
)
XLSX_IS_NOT_CSV = _(
    "This is an Excel workbook, not a CSV file. Choose the xlsx format instead."
)
NOT_TEXT = _("This file is not a CSV text file (it holds binary data).")
NOT_UTF8 = _(
    "The file is not in UTF-8 encoding (byte %(byte)s at position %(position)s). In "
    "Excel choose “CSV UTF-8 (comma delimited)” when saving; in LibreOffice choose "
    "the character set “Unicode (UTF-8)”."
)
NO_HEADER = _("The first row must hold the column names; it is empty.")
TOO_MANY_ROWS = _(
    "The sheet has more than %(limit)s rows, counting blank ones. Delete the unused "
    "rows below the data (or split the file) and import again."
)
UNNAMED_COLUMN = _(
    "Row %(row)s has a value in column %(column)s, which has no name in the first "
    "row. Give the column a name or clear it."
)
DUPLICATE_HEADER = _("The column “%(column)s” appears twice in the first row.")
NOT_UTF16 = _(
    "The file is in UTF-16 encoding (Excel's “Unicode text”). In Excel choose “CSV "
    "UTF-8 (comma delimited)” when saving; in LibreOffice choose the character set "
    "“Unicode (UTF-8)”."
)
ODS_AS_XLSX = _(
    "This is an OpenDocument spreadsheet (.ods), not an Excel workbook. Open it in "
    "LibreOffice and save it as an Excel workbook (.xlsx), then import that."
)
FORMULA_WITHOUT_VALUE = _(
    "Row %(row)s, column %(column)s holds the formula %(formula)s, but no result: the "
    "program that wrote the file did not calculate it. Open the file in Excel or "
    "LibreOffice and save it, or type the value in place of the formula."
)
ODS_IMPORT_BROKEN = _(
    "OpenDocument (.ods) files can be exported but not imported: the reader of the "
    "import library is broken in this version. Save the sheet as .xlsx or CSV."
)

# A cell starting with one of these is run as a formula by some spreadsheet program.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")


class SpreadsheetRefused(ValueError):
    """A file refused before any row was read; the message is for the user."""


def escape_cell(value):
    """Prefix a quote to text a spreadsheet would run as a formula.

    Text already made of quotes and a trigger gets one more quote, so that reading the
    cell back (``unescape_cell``) gives exactly the stored text.
    """
    if isinstance(value, str) and (
        value.startswith(FORMULA_TRIGGERS) or _ESCAPED.match(value)
    ):
        return "'" + value
    return value


def unescape_cell(value):
    if isinstance(value, str) and _ESCAPED.match(value):
        return value[1:]
    return value


def _limit(name, default):
    return getattr(settings, name, default)


def check_size(data: bytes):
    limit = _limit("SPREADSHEET_MAX_BYTES", 20 * 1024 * 1024)
    if len(data) > limit:
        raise SpreadsheetRefused(
            TOO_BIG
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(limit)}
        )


def check_workbook_archive(data: bytes):
    """Refuse what is not an xlsx, and a zip bomb, from the archive's directory alone:
    nothing is decompressed here."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetRefused(OLD_XLS)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetRefused(NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
    except zipfile.BadZipFile as exc:
        raise SpreadsheetRefused(NOT_XLSX) from exc
    if "mimetype" in names and "content.xml" in names:
        raise SpreadsheetRefused(ODS_AS_XLSX)
    if "[Content_Types].xml" not in names or not any(
        name.startswith("xl/") for name in names
    ):
        raise SpreadsheetRefused(NOT_XLSX)
    limit = _limit("SPREADSHEET_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
    max_entries = _limit("SPREADSHEET_MAX_ENTRIES", 1000)
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > limit or len(entries) > max_entries:
        raise SpreadsheetRefused(
            ZIP_BOMB
            % {
                "size": filesizeformat(unpacked),
                "entries": len(entries),
                "limit": filesizeformat(limit),
                "max_entries": max_entries,
            }
        )
    # The parser holds a part's whole content in memory, several times over for the
    # shared texts: each part is capped on its own, below the total.
    part_limit = _limit("SPREADSHEET_MAX_PART_BYTES", 64 * 1024 * 1024)
    for entry in entries:
        if entry.file_size > part_limit:
            raise SpreadsheetRefused(
                PART_TOO_BIG
                % {
                    "part": entry.filename,
                    "size": filesizeformat(entry.file_size),
                    "limit": filesizeformat(part_limit),
                }
            )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        _check_shared_strings(archive, names)
        _check_dimensions(archive, names)


_SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?[A-Z]*(\d+)"')


def _occurrences(archive, name, pattern, stop) -> int:
    """How many times ``pattern`` (a tag, shorter than 32 bytes) occurs in the part
    ``name``, counted as it unpacks a megabyte at a time; counting ends once past
    ``stop``."""
    count, pending = 0, b""
    with archive.open(name) as part:
        while chunk := part.read(1 << 20):
            buffer = pending + chunk
            # A tag starting in the last bytes may be cut: it is counted next time.
            cut = max(len(buffer) - 32, 0)
            count += sum(1 for found in pattern.finditer(buffer) if found.start() < cut)
            if count > stop:
                return count
            pending = buffer[cut:]
    return count + len(pattern.findall(pending))


def _check_shared_strings(archive, names):
    """Count the workbook's distinct texts before any parsing."""
    if "xl/sharedStrings.xml" not in names:
        return
    limit = _limit("SPREADSHEET_MAX_SHARED_STRINGS", 1_000_000)
    if _occurrences(archive, "xl/sharedStrings.xml", _SHARED_STRING, limit) > limit:
        raise SpreadsheetRefused(TOO_MANY_STRINGS % {"limit": f"{limit:,}"})


def _worksheets(names):
    return [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]


def _check_dimensions(archive, names):
    """Refuse a sheet whose declared extent passes the row limit, from its first
    bytes. (A sheet that declares less than it holds is read whole, and stopped at
    the limit while read.)"""
    limit = _limit("SPREADSHEET_MAX_ROWS", 100_000)
    for name in _worksheets(names):
        with archive.open(name) as part:
            found = _DIMENSION.search(part.read(4096))
        if found and int(found[1]) > limit + 1:
            raise SpreadsheetRefused(TOO_MANY_ROWS % {"limit": f"{limit:,}"})


def _is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _column_letter(index):
    return openpyxl.utils.get_column_letter(index + 1)


def rows_to_dataset(rows) -> tablib.Dataset:
    """Build a dataset from an iterator of rows (the first holds the headers).

    Blank rows are dropped but still counted against the row limit, and each kept
    row's number in the sheet is remembered in ``dataset.row_numbers`` for the error
    messages. Columns without a name must be empty.
    """
    limit = _limit("SPREADSHEET_MAX_ROWS", 100_000)
    try:
        header = next(rows)
    except StopIteration:
        raise SpreadsheetRefused(NO_HEADER) from None
    names = [
        "" if cell is None else str(cell).strip().lstrip("\ufeff") for cell in header
    ]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise SpreadsheetRefused(NO_HEADER)
    seen = set()
    for name in names:
        if name and name.casefold() in seen:
            raise SpreadsheetRefused(DUPLICATE_HEADER % {"column": name})
        seen.add(name.casefold())
    width = len(names)
    named = [index for index, name in enumerate(names) if name]
    dataset = tablib.Dataset(headers=names)
    row_numbers = []
    for number, row in enumerate(rows, start=2):
        if number > limit + 1:
            raise SpreadsheetRefused(TOO_MANY_ROWS % {"limit": f"{limit:,}"})
        row = tuple(row)
        for index, value in enumerate(row):
            if not _is_blank(value) and (index >= width or not names[index]):
                raise SpreadsheetRefused(
                    UNNAMED_COLUMN % {"row": number, "column": _column_letter(index)}
                )
        if all(_is_blank(row[index]) for index in named if index < len(row)):
            continue
        cells = list(row[:width]) + [None] * (width - len(row))
        dataset.append(cells)
        row_numbers.append(number)
    dataset.row_numbers = row_numbers
    return dataset


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def has_formulas(data: bytes) -> bool:
    """Whether a worksheet of the workbook holds a formula, read from its XML as it
    unpacks (the archive's sizes are checked already)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return any(
            _occurrences(archive, name, _FORMULA_TAG, stop=0)
            for name in _worksheets(archive.namelist())
        )


def _open_workbook(data: bytes, *, data_only: bool):
    try:
        return openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=data_only
        )
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SpreadsheetRefused(NOT_XLSX) from exc


def _computed(cells, formulas):
    """The values of ``cells`` row by row, refusing a cell whose formula has no
    computed value. A formula that computed empty text is stored as a text cell with
    an empty value: it reads as empty text, not as a missing result."""
    for number, (row, written) in enumerate(zip(cells, formulas, strict=True), start=1):
        values = []
        for index, (cell, formula) in enumerate(zip(row, written, strict=True)):
            value = cell.value
            if value is None and cell.data_type == "str":
                value = ""
            if isinstance(formula, ArrayFormula):
                formula = formula.text
            if value is None and isinstance(formula, str) and formula.startswith("="):
                raise SpreadsheetRefused(
                    FORMULA_WITHOUT_VALUE
                    % {
                        "row": number,
                        "column": _column_letter(index),
                        "formula": formula,
                    }
                )
            values.append(value)
        yield tuple(values)


def _every_row(sheet, *, values_only=True):
    """The rows the sheet holds, whatever extent it declares: read-only openpyxl
    stops at the declared last row (a file that declares fewer rows than it has
    would lose the rest silently) and pads every row to the declared width."""
    sheet.reset_dimensions()
    return sheet.iter_rows(values_only=values_only)


class Workbook:
    """An uploaded xlsx, checked before it is opened, read for its values.

    A formula cell gives the value its program last computed, never the formula's
    text. A file with formulas is read a second time, formulas and all, to refuse
    one whose result was never computed: it reads as empty, and would blank the field
    it is imported into.
    """

    def __init__(self, data: bytes):
        check_size(data)
        check_workbook_archive(data)
        self.values = _open_workbook(data, data_only=True)
        self.formulas = (
            _open_workbook(data, data_only=False) if has_formulas(data) else None
        )
        self.sheetnames = self.values.sheetnames

    def rows(self, name):
        """The rows of the sheet ``name``, as tuples of values."""
        if self.formulas is None:
            return _every_row(self.values[name])
        return _computed(
            _every_row(self.values[name], values_only=False),
            _every_row(self.formulas[name]),
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.values.close()
        if self.formulas is not None:
            self.formulas.close()


class XLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        with Workbook(in_stream) as book:
            return rows_to_dataset(book.rows(book.sheetnames[0]))

    def export_data(self, dataset, **kwargs):
        # openpyxl's write-only mode streams rows; tablib's writer builds every cell
        # object first and takes about twice as long on 10,000 rows.
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet(title=(dataset.title or "Sheet1")[:31])
        sheet.append(dataset.headers or [])
        for row in escaped(dataset):
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


class CSV(base_formats.CSV):
    def get_read_mode(self):
        return "rb"

    def is_binary(self):
        # Read as bytes so that the encoding is checked here, with a clear message.
        return True

    def create_dataset(self, in_stream):
        if isinstance(in_stream, str):
            in_stream = in_stream.encode()
        check_size(in_stream)
        if in_stream.startswith(b"PK\x03\x04"):
            raise SpreadsheetRefused(XLSX_IS_NOT_CSV)
        if in_stream.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise SpreadsheetRefused(NOT_UTF16)
        if b"\x00" in in_stream:
            raise SpreadsheetRefused(NOT_TEXT)
        try:
            text = in_stream.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SpreadsheetRefused(
                NOT_UTF8
                % {"byte": f"0x{in_stream[exc.start]:02X}", "position": exc.start}
            ) from exc
        first_line = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first_line.count)
        return rows_to_dataset(csv.reader(io.StringIO(text), delimiter=delimiter))

    def export_data(self, dataset, **kwargs):
        return super().export_data(escaped(dataset), **kwargs).encode("utf-8-sig")


class ODS(base_formats.ODS):
    def can_import(self):
        return False

    def create_dataset(self, in_stream):
        raise SpreadsheetRefused(ODS_IMPORT_BROKEN)

    def export_data(self, dataset, **kwargs):
        return super().export_data(escaped(dataset), **kwargs)


def escaped(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of ``dataset`` whose text cells cannot run as formulas (the dataset
    itself when a resource's export escaped it already)."""
    if getattr(dataset, "escaped", False):
        return dataset
    copy = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        copy.append([escape_cell(value) for value in row])
    return copy


IMPORT_FORMATS = [XLSX, CSV]
EXPORT_FORMATS = [XLSX, CSV, ODS]
