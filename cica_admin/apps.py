from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


def tag_history_with_batch(sender, history_instance, **kwargs):
    """A history row written during an import points at the import's batch."""
    from cica_admin.core.spreadsheets.resources import current_batch

    batch = current_batch.get()
    if batch is not None and hasattr(history_instance, "import_batch_id"):
        history_instance.import_batch = batch


class CicaAdminConfig(AppConfig):
    default = True
    name = "cica_admin"
    verbose_name = "CICA Secretariat"

    def ready(self):
        from django.db.models.signals import post_migrate
        from simple_history.signals import pre_create_historical_record

        from .roles import after_migrate

        pre_create_historical_record.connect(
            tag_history_with_batch, dispatch_uid="cica_tag_history_with_batch"
        )
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="cica_roles")


class SecretariatAdminSiteConfig(AdminConfig):
    """django.contrib.admin with the Secretariat's site as ``admin.site``."""

    default_site = "cica_admin.sites.SecretariatAdminSite"
