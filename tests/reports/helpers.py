import io

from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from cica_admin.reporting import render
from cica_admin.reporting.kinds import KINDS


def cleaned(kind, **data):
    form = KINDS[kind].form_class(data)
    assert form.is_valid(), form.errors
    return form.cleaned_data


def report_html(kind, **data):
    """The body of a report as HTML, without the date it was issued."""
    with render.built(KINDS[kind], cleaned(kind, **data)) as context:
        return render_to_string(KINDS[kind].template, context)


def report_pdf_text(kind, **data):
    with render.built(KINDS[kind], cleaned(kind, **data)) as context:
        content = render.pdf(KINDS[kind], context)
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def report_workbook(kind, **data):
    with render.built(KINDS[kind], cleaned(kind, **data)) as context:
        content = render.xlsx(KINDS[kind], context)
    return load_workbook(io.BytesIO(content))


def queries_to_render(kind, **data):
    """Queries to build the report and render its page body."""
    data = cleaned(kind, **data)
    with (
        CaptureQueriesContext(connection) as queries,
        render.built(KINDS[kind], data) as context,
    ):
        render_to_string(KINDS[kind].template, {**context, "links": True})
    return len(queries)
