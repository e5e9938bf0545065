from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .core.models import ImportBatch
from .core.spreadsheets.batches import batch_revert, touched_by
from .core.spreadsheets.workbook import resource_classes
from .roles import perm

REVERTED = ngettext_lazy(
    "Import %(pk)s reverted: %(count)s record restored or removed.",
    "Import %(pk)s reverted: %(count)s records restored or removed.",
    "count",
)
MAY_NOT_REVERT = _(
    "This import wrote %(models)s, which you may not change or delete: ask someone "
    "who may to revert it."
)


def imported_models():
    return [resource_class._meta.model for resource_class in resource_classes()]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "file_name",
        "what",
        "user",
        "started",
        "new",
        "updated",
        "unchanged",
        "reverted",
    ]
    list_display_links = ["number", "file_name"]
    list_filter = ["what", "reverted"]
    list_select_related = ["user"]
    search_fields = ["file_name", "user__username"]
    date_hierarchy = "started"
    change_form_template = "admin/spreadsheets/batch.html"
    view_on_site = False  # its page is this one

    @admin.display(description=_("batch"), ordering="pk")
    def number(self, obj):
        return obj.pk

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_revert_permission(self, request):
        return request.user.has_perm("cica_admin.revert_importbatch")

    def get_queryset(self, request):
        """Batches of one record type show only to those who may view that type: a
        clerk outside finance does not learn that contributions were imported."""
        hidden = [
            model
            for model in imported_models()
            if not request.user.has_perm(perm(model, "view"))
        ]
        batches = (
            super()
            .get_queryset(request)
            .exclude(
                what__in=[str(model._meta.verbose_name_plural) for model in hidden]
            )
        )
        for model in hidden:  # a workbook that wrote such records, too
            batches = batches.exclude(
                Exists(model.history.filter(import_batch=OuterRef("pk")))
            )
        return batches

    def get_urls(self):
        return [
            path(
                "<int:pk>/revert/",
                self.admin_site.admin_view(self.revert_view),
                name="cica_admin_importbatch_revert",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = get_object_or_404(self.get_queryset(request), pk=object_id)
        touched = [
            {
                "model": model._meta.verbose_name_plural,
                "created": sum(1 for row in rows if row.history_type == "+"),
                "updated": sum(1 for row in rows if row.history_type == "~"),
                "examples": rows[:20],
                "count": len(rows),
            }
            for model, rows in touched_by(batch)
            if request.user.has_perm(perm(model, "view"))
        ]
        extra_context = {
            **(extra_context or {}),
            "touched": touched,
            "may_revert": self.has_revert_permission(request) and not batch.reverted,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def revert_view(self, request, pk):
        if not self.has_revert_permission(request):
            raise PermissionDenied
        batch = get_object_or_404(self.get_queryset(request), pk=pk)
        refused = [
            model._meta.verbose_name_plural
            for model, _rows in touched_by(batch)
            if not all(
                request.user.has_perm(perm(model, action))
                for action in ("change", "delete")
            )
        ]
        if refused:
            messages.error(
                request, MAY_NOT_REVERT % {"models": ", ".join(map(str, refused))}
            )
            return redirect(batch.get_absolute_url())
        if request.method == "POST":
            try:
                count = batch_revert(batch=batch, actor=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, REVERTED % {"pk": batch.pk, "count": count})
            return redirect(batch.get_absolute_url())
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revert import %(pk)s?") % {"pk": batch.pk},
            "batch": batch,
            "opts": self.opts,
        }
        return TemplateResponse(
            request, "admin/spreadsheets/revert_confirm.html", context
        )
