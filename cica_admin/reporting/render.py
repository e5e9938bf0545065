"""One report context, three forms: an admin page, a PDF for print, an xlsx workbook.

A report is built and rendered inside ``built()``: for a report "as the records stood"
on some day, the templates read the records of that day too.
"""

import contextlib
import datetime
import io
import re
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from finance.valuation import MissingRate

from ..core.spreadsheets.files import escape_cell
from .snapshot import records_as_of

NOT_IN_RECORDS = gettext_lazy(
    "What this report is about was not in the records as they stood on %(moment)s."
)
FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ReportError(Exception):
    """A report that cannot be made from the records, with the reason for the clerk."""


def moment_display(moment):
    return date_format(timezone.localtime(moment), "j F Y, H:i T")


@contextlib.contextmanager
def built(kind, data, *, issued=None):
    """The context of ``kind`` for the cleaned form ``data``; render inside."""
    as_of = data.get("as_of")
    with records_as_of(as_of):
        try:
            context = kind.build(data)
        except ObjectDoesNotExist:
            raise ReportError(
                NOT_IN_RECORDS % {"moment": moment_display(as_of)}
            ) from None
        except MissingRate as error:
            raise ReportError(" ".join(error.messages)) from None
        context.update(
            kind=kind,
            as_of=as_of,
            as_of_display=moment_display(as_of) if as_of else "",
            issued=issued or timezone.now(),
        )
        yield context


def pdf(kind, context) -> bytes:
    from weasyprint import HTML  # imported when a PDF is asked for: it loads Pango

    html = render_to_string("reports/print.html", {**context, "print": True})
    return HTML(string=html).write_pdf()


def xlsx(kind, context) -> bytes:
    """The report's tables, one sheet each, and a sheet saying what the report is."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for sheet in kind.sheets(context):
        worksheet = workbook.create_sheet(_sheet_title(sheet.title))
        worksheet.append([str(header) for header in sheet.headers])
        for cell in worksheet[1]:
            cell.font = bold
        for row in sheet.rows:
            worksheet.append([_cell(value) for value in row])
        worksheet.freeze_panes = "A2"
        _fit_columns(worksheet, sheet)
    about = workbook.create_sheet(_("About"))
    about.append([str(context["heading"])])
    about["A1"].font = Font(bold=True, size=13)
    about.append([_("Issued"), moment_display(context["issued"])])
    if context["as_of"]:
        about.append([_("As the records stood on"), context["as_of_display"]])
    about.append([_("Issued by"), _("CICA Secretariat")])
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value):
    if value is None or isinstance(
        value, int | float | Decimal | datetime.date | datetime.datetime
    ):
        return value
    return escape_cell(str(value))


def _sheet_title(title):
    return re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31]


def _fit_columns(worksheet, sheet):
    for index, header in enumerate(sheet.headers, start=1):
        longest = max(
            [len(str(header))]
            + [len(str(row[index - 1] or "")) for row in sheet.rows[:200]]
        )
        worksheet.column_dimensions[get_column_letter(index)].width = min(
            max(10, longest + 2), 60
        )
