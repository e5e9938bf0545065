"""The models of the ``cica_admin`` app live in the foundation (``core.models``);
Django looks for them here."""

from .core.models import AuditLog, ImportBatch

__all__ = ["AuditLog", "ImportBatch"]
