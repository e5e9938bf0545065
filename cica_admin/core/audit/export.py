"""The audit log as an xlsx workbook, with the filters of the page.

Written in chunks of ``CHUNK`` entries, each read with the page's own queries and
each after the last (keyset, not offset, so the last chunk costs what the first
does), into openpyxl's write-only workbook, which keeps no cell in memory: the memory
used is one chunk's, however many rows are exported. Cells are escaped against
formula injection as the reports' are.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from ..history import pick
from ..spreadsheets.files import escape_cell
from .entries import entries, model_name

CHUNK = 1000
TOO_MANY = gettext_lazy(
    "%(count)s entries match these filters; a workbook holds at most %(limit)s. "
    "Narrow the filters (a shorter period, one user or one kind of record)."
)
COLUMNS = [
    (gettext_lazy("When"), 18),
    (gettext_lazy("User"), 16),
    (gettext_lazy("Action"), 10),
    (gettext_lazy("Kind of record"), 22),
    (gettext_lazy("Record id"), 10),
    (gettext_lazy("Record"), 40),
    (gettext_lazy("Reason"), 36),
    (gettext_lazy("Import batch"), 12),
    (gettext_lazy("Changes"), 80),
]


def row_limit():
    """The most rows an export holds (setting ``AUDIT_EXPORT_MAX_ROWS``)."""
    return settings.AUDIT_EXPORT_MAX_ROWS


def cell(value):
    """A value as the reports write it: numbers and dates as such, text escaped."""
    if value is None or isinstance(value, int | float | datetime.date):
        return value
    return escape_cell(str(value))


def rows(branches, *, chunk=CHUNK):
    """Every entry of ``branches``, newest first, as the workbook's rows."""
    after = None
    while True:
        picked = pick(branches, limit=chunk, after=after)
        for entry in entries(picked, links=False):
            user = entry.user
            yield [
                timezone.localtime(entry.when).replace(tzinfo=None, microsecond=0),
                user.get_username() if user else _("no user recorded"),
                entry.verb,
                capfirst(model_name(entry.model)),
                entry.object_id,
                entry.record_name,
                entry.reason_text,
                entry.batch.pk if entry.batch else None,
                entry.changes_text(),
            ]
        if len(picked) < chunk:
            return
        after = picked[-1]


def write(branches, file, *, filters, issued=None):
    """Write the workbook of ``branches`` to ``file``; ``filters`` are ``(label,
    value)`` pairs saying what was asked for."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Audit log"))
    bold = Font(bold=True)
    for index, (_header, width) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for title, _width in COLUMNS:
        one = WriteOnlyCell(sheet, value=str(title))
        one.font = bold
        header.append(one)
    sheet.append(header)
    wrapped = Alignment(wrap_text=True, vertical="top")
    for row in rows(branches):
        *values, changes = (cell(value) for value in row)
        changes = WriteOnlyCell(sheet, value=changes)  # one change a line
        changes.alignment = wrapped
        sheet.append([*values, changes])
    about = workbook.create_sheet(_("About"))
    about.append([cell(_("Audit log of the CICA Secretariat records"))])
    issued = issued or timezone.now()
    about.append(
        [_("Issued"), timezone.localtime(issued).replace(tzinfo=None, microsecond=0)]
    )
    about.append([_("Times"), cell(timezone.get_current_timezone_name())])
    for label, value in filters:
        about.append([cell(str(label)), cell(str(value))])
    workbook.save(file)
