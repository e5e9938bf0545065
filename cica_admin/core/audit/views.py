"""The pages of the audit log and of the deleted records. The admin site wires them
in (``cica_admin.sites``); each shows only the models the user may view.

The audit log reads and never writes: it answers GET only, and no history row can be
changed or deleted from the admin (no historical model is registered in it). The
only write here is a restore, a POST with the admin's CSRF check, allowed to users
who may add records of the model.
"""

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import history
from . import export
from .entries import change_url, entries, initial_values
from .forms import AuditFilterForm, ModelFilterForm
from .restore import last_deletion, record_restore

#: The permission the audit log asks for (the deleted records ask for none of
#: their own: each user sees the deleted records of the models they may view).
PERMISSION = "cica_admin.view_audit_log"
PER_PAGE = 50
RESTORED = _("%(record)s was restored, with its history.")
UNKNOWN_FORMAT = _("The audit log can be shown as a page or exported as xlsx.")


class Picks:
    """The history rows of ``branches`` as a Paginator's list: counted with one
    query, a page of them picked with one query."""

    def __init__(self, branches):
        self.branches = branches

    def count(self):
        return history.count(self.branches)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("Picks are read a page at a time.")
        start = index.start or 0
        return history.pick(self.branches, limit=index.stop - start, offset=start)


def _paginate(request, branches):
    paginator = Paginator(Picks(branches), PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    page_range = list(paginator.get_elided_page_range(page.number))
    return paginator, page, page_range


def _query(params):
    params = params.copy()
    for name in ("p", "format"):
        params.pop(name, None)
    return params.urlencode()


def audit_log(site, request):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    output = request.GET.get("format", "html")
    form = AuditFilterForm(request.GET, models=history.visible_models(request.user))
    context = {
        **site.each_context(request),
        "title": _("Audit log"),
        "form": form,
        "query": _query(request.GET),
        "may_view_batches": request.user.has_perm("cica_admin.view_importbatch"),
    }
    if output not in ("html", "xlsx"):
        context["error"] = UNKNOWN_FORMAT
        return TemplateResponse(request, "admin/audit/log.html", context, status=400)
    if not form.is_valid():
        return TemplateResponse(request, "admin/audit/log.html", context, status=400)
    criteria = form.criteria()
    branches = [
        (model, criteria.filter(history.history_of(model)))
        for model in form.chosen_models()
    ]
    if output == "xlsx":
        return _export(request, context, form, branches)
    paginator, page, page_range = _paginate(request, branches)
    context.update(
        page=page,
        paginator=paginator,
        page_range=page_range,
        entries=entries(page.object_list),
    )
    return TemplateResponse(request, "admin/audit/log.html", context)


def _export(request, context, form, branches):
    count = history.count(branches)
    limit = export.row_limit()
    if count > limit:
        context["error"] = export.TOO_MANY % {"count": count, "limit": limit}
        return TemplateResponse(request, "admin/audit/log.html", context, status=400)
    filters = [
        (form.fields[name].label, _shown(form, name))
        for name in form.fields
        if form.cleaned_data.get(name) not in (None, "")
    ]
    file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    export.write(branches, file, filters=filters)
    file.seek(0)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    return FileResponse(
        file,
        as_attachment=True,
        filename=f"audit-log-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument"
        ".spreadsheetml.sheet",
    )


def _shown(form, name):
    value = form.cleaned_data[name]
    choices = getattr(form.fields[name], "choices", None)
    if choices:
        return dict(choices).get(value, dict(choices).get(str(value), value))
    return value


def deleted_records(site, request):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    user = request.user
    form = ModelFilterForm(request.GET, models=history.visible_models(user))
    context = {
        **site.each_context(request),
        "title": _("Deleted records"),
        "form": form,
        "query": _query(request.GET),
        "may_view_audit_log": user.has_perm(PERMISSION),
    }
    if not form.is_valid():
        return TemplateResponse(
            request, "admin/audit/deleted.html", context, status=400
        )
    branches = [(model, history.deleted(model)) for model in form.chosen_models()]
    paginator, page, page_range = _paginate(request, branches)
    found = entries(page.object_list)
    for entry in found:
        entry.may_restore = may_restore(user, entry.model)
    context.update(page=page, paginator=paginator, page_range=page_range, entries=found)
    return TemplateResponse(request, "admin/audit/deleted.html", context)


def may_restore(user, model):
    """Restoring is adding the record again: the model's add permission."""
    return history.has_model_perm(user, "add", model)


def _tracked(user, key):
    for model in history.visible_models(user):
        if history.model_key(model) == key:
            return model
    raise Http404


def restore(site, request, model, object_id):
    model = _tracked(request.user, model)
    if not may_restore(request.user, model):
        raise PermissionDenied
    back = reverse("admin:deleted_records")
    try:
        deletion = last_deletion(model, object_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    if request.method == "POST":
        try:
            record, notes = record_restore(
                model=model, object_id=object_id, actor=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(back)
        messages.success(request, RESTORED % {"record": record})
        for note in notes:
            messages.warning(request, note)
        return redirect(change_url(model, record.pk) or back)
    (entry,) = entries([(model, deletion.history_id, deletion.history_date)])
    context = {
        **site.each_context(request),
        "title": _("Restore %(record)s?") % {"record": entry.record_name},
        "entry": entry,
        "values": initial_values(model, deletion),
    }
    return TemplateResponse(request, "admin/audit/restore_confirm.html", context)
