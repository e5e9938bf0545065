"""Records the project keeps about its own work: import batches, and the holder of
the audit log's permission."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ImportBatch(models.Model):
    """One import of one file: every history row it wrote points back here, so the
    import can be listed and reverted as a unit."""

    file_name = models.CharField(_("file"), max_length=255)
    what = models.CharField(
        _("records"),
        max_length=100,
        help_text=_("The model imported, or “workbook” for a whole-database file."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    started = models.DateTimeField(_("imported at"), auto_now_add=True)
    new = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    reverted = models.DateTimeField(_("reverted at"), null=True, blank=True)
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reverted by"),
    )

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-started", "-pk"]
        permissions = [("revert_importbatch", _("Can revert an import batch"))]
        default_permissions = ("view",)

    def __str__(self):
        return _("Import %(pk)s of %(file)s") % {"pk": self.pk, "file": self.file_name}

    def get_absolute_url(self):
        return reverse("admin:cica_admin_importbatch_change", args=[self.pk])

    @property
    def reason(self):
        """The change reason every history row of this batch carries."""
        return _("import of %(file)s") % {"file": self.file_name}


class AuditLog(models.Model):
    """Holds the permission to read the audit log; there is no table behind it (the
    log reads the history tables of every model)."""

    class Meta:
        managed = False
        verbose_name = _("audit log")
        verbose_name_plural = _("audit log")
        default_permissions = ()
        permissions = [("view_audit_log", _("Can view the audit log"))]

    def __str__(self):
        return str(self._meta.verbose_name)


class BatchTaggedHistory(models.Model):
    """Base of every historical model: which import batch, if any, wrote the row."""

    import_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import batch"),
    )

    class Meta:
        abstract = True


def tracked_history(**kwargs):
    """Full change history, each row tagged with the import batch that wrote it."""
    return HistoricalRecords(bases=[BatchTaggedHistory], **kwargs)


#: Every record's permissions: Django's four, and import and export as separate rights.
SPREADSHEET_PERMISSIONS = ("add", "change", "delete", "view", "import", "export")
