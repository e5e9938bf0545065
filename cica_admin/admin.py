from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .models import ImportBatch
from .spreadsheets.batches import batch_revert, touched_by

REVERTED = _("Import %(pk)s reverted: %(count)s records restored or removed.")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "file_name",
        "what",
        "user",
        "started",
        "new",
        "updated",
        "unchanged",
        "reverted",
    ]
    list_display_links = ["pk", "file_name"]
    list_filter = ["what", "reverted"]
    list_select_related = ["user"]
    search_fields = ["file_name", "user__username"]
    date_hierarchy = "started"
    change_form_template = "admin/spreadsheets/batch.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_revert_permission(self, request):
        return request.user.has_perm("cica_admin.revert_importbatch")

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
        batch = get_object_or_404(ImportBatch, pk=object_id)
        touched = [
            {
                "model": model._meta.verbose_name_plural,
                "created": sum(1 for row in rows if row.history_type == "+"),
                "updated": sum(1 for row in rows if row.history_type == "~"),
                "examples": rows[:20],
                "count": len(rows),
            }
            for model, rows in touched_by(batch)
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
        batch = get_object_or_404(ImportBatch, pk=pk)
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
