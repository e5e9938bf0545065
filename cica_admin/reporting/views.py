"""The report pages of the admin: a list of reports, and each report as a page, a
PDF or a workbook. The admin site wires them in (``cica_admin.sites``)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from . import render
from .kinds import KINDS

UNKNOWN_FORMAT = _("Choose one of the formats: %(formats)s.")


def reports_index(site, request):
    kinds = [kind for kind in KINDS.values() if kind.allowed(request.user)]
    context = {
        **site.each_context(request),
        "title": _("Reports"),
        "reports": [
            (kind, kind.form_class(auto_id=f"id_{kind.slug}_%s")) for kind in kinds
        ],
    }
    return TemplateResponse(request, "admin/reports/index.html", context)


def report_view(site, request, slug):
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    if not kind.allowed(request.user):
        raise PermissionDenied
    output = request.GET.get("format", "html")
    parameters = request.GET.copy()
    parameters.pop("format", None)
    # A report about one record waits for it to be chosen; others show at once.
    if parameters or kind.subject is None:
        form = kind.form_class(parameters)
    else:
        form = kind.form_class()
    page = {
        **site.each_context(request),
        "kind": kind,
        "form": form,
        "title": kind.title,
        "query": parameters.urlencode(),
        "links": True,
    }
    if output not in render.FORMATS:
        page["error"] = UNKNOWN_FORMAT % {"formats": ", ".join(render.FORMATS)}
        return TemplateResponse(request, "admin/reports/report.html", page, status=400)
    if not form.is_bound:
        return TemplateResponse(request, "admin/reports/report.html", page)
    if not form.is_valid():
        return TemplateResponse(request, "admin/reports/report.html", page, status=400)
    try:
        with render.built(kind, form.cleaned_data) as context:
            if output == "html":
                response = TemplateResponse(
                    request, "admin/reports/report.html", {**page, **context}
                )
                return response.render()  # while the records it shows are in place
            content = (render.pdf if output == "pdf" else render.xlsx)(kind, context)
    except render.ReportError as error:
        page["error"] = str(error)
        return TemplateResponse(request, "admin/reports/report.html", page, status=400)
    name = kind.filename(form.cleaned_data)
    if form.cleaned_data.get("as_of"):
        name += f"-as-of-{form.cleaned_data['as_of']:%Y-%m-%d}"
    response = HttpResponse(content, content_type=render.FORMATS[output])
    disposition = "inline" if output == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}.{output}"'
    return response
