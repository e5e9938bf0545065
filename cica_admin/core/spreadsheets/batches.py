"""Reverting an import batch: every record it touched goes back to its state before
the batch, with history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cica_admin.core.concurrency import latest_versions
from cica_admin.core.history import links_of, set_links
from cica_admin.core.models import ImportBatch
from cica_admin.core.services import refusal_text

from .workbook import resource_classes

ALREADY_REVERTED = _("This import was already reverted on %(when)s.")
RULE_REFUSES = _(
    "The import cannot be reverted: %(record)s would break a rule: %(rules)s"
)
STILL_REFERENCED = _(
    "%(record)s, created by this import, is now used by other records (%(users)s); "
    "it cannot be removed."
)


def changed_since(later) -> str:
    """Why a revert is refused: ``later`` history rows written after the batch."""
    return ngettext(
        "%(example)s was changed after this import; reverting would undo that later "
        "change. Revert or correct it by hand.",
        "%(count)s records were changed after this import (for example %(example)s); "
        "reverting would undo those later changes. Revert or correct them by hand.",
        len(later),
    ) % {"count": len(later), "example": later[0].instance}


def touched_by(batch):
    """``(model, history rows)`` for each record type the batch wrote, in
    dependency order."""
    return [(resource._meta.model, rows) for resource, rows in _written_by(batch)]


def _written_by(batch):
    """``(resource class, history rows)`` for each record type the batch wrote."""
    written = []
    for resource_class in resource_classes():
        model = resource_class._meta.model
        rows = list(model.history.filter(import_batch=batch).order_by("history_id"))
        if rows:
            written.append((resource_class, rows))
    return written


def batch_reason(batch):
    return _("revert of import %(pk)s (%(file)s)") % {
        "pk": batch.pk,
        "file": batch.file_name,
    }


def _first_and_last(rows):
    """``{pk: (the batch's first row for the record, its last)}``. An import writes
    a record once, and again for each link field it sets (a decision's links), so a
    record may have several rows in one batch."""
    ends = {}
    for row in rows:  # in history order
        first, _last = ends.get(row.id, (row, None))
        ends[row.id] = (first, row)
    return ends


@transaction.atomic
def batch_revert(*, batch: ImportBatch, actor=None) -> int:
    """Restore every record the batch touched to its state before it: records it
    created are deleted, records it updated get their previous values back, and
    their previous links. Each write goes through the service the import wrote with,
    so the rules that held for the import hold for its undoing. Refused, with nothing
    changed, when a record was changed after the batch or when a rule refuses the
    result. Returns the number of records restored or deleted."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.reverted:
        raise ValidationError(ALREADY_REVERTED % {"when": batch.reverted})
    touched = [
        (resource_class, _first_and_last(rows))
        for resource_class, rows in _written_by(batch)
    ]
    later = []
    for resource_class, ends in touched:
        latest = latest_versions(resource_class._meta.model, list(ends))
        later += [
            last
            for pk, (_first, last) in ends.items()
            if latest.get(pk) != last.history_id
        ]
    if later:
        raise ValidationError(changed_since(later))
    reason = str(batch_reason(batch))
    # Undone in the reverse of the order the import wrote them, so that each state
    # the records pass through is one the import passed through too: a suspension
    # goes before the membership it needs, a contribution before its party.
    records = [
        (first.history_date, order, first.history_id, resource_class, pk, first)
        for order, (resource_class, ends) in enumerate(touched)
        for pk, (first, _last) in ends.items()
    ]
    records.sort(key=lambda record: record[:3], reverse=True)
    for *_when, resource_class, pk, first in records:
        _undo(resource_class, pk, first, actor=actor, reason=reason)
    batch.reverted = timezone.now()
    batch.reverted_by = actor
    batch.save(update_fields=["reverted", "reverted_by"])
    return len(records)


def _undo(resource_class, pk, first, *, actor, reason):
    """Take one record back to its state before ``first``, the batch's first history
    row for it, through the services the import wrote with."""
    model = resource_class._meta.model
    if first.history_type == "+":
        obj = model._default_manager.get(pk=pk)
        try:
            resource_class.delete_service(obj, actor=actor, reason=reason)
        except ProtectedError as exc:
            users = ", ".join(str(o) for o in list(exc.protected_objects)[:3])
            raise ValidationError(
                STILL_REFERENCED % {"record": obj, "users": users}
            ) from exc
        except ValidationError as error:
            raise _refused(obj, error) from error
        return
    previous = (
        model.history.filter(id=pk, history_id__lt=first.history_id)
        .order_by("-history_id")
        .first()
    )
    # The stored record, given back its values before the batch (a history row's
    # ``instance`` would be validated as a new record).
    instance = model._default_manager.get(pk=pk)
    for field in model._meta.concrete_fields:
        setattr(instance, field.attname, getattr(previous, field.attname))
    try:
        resource_class.save_service(instance, actor=actor, reason=reason)
    except ValidationError as error:
        raise _refused(instance, error) from error
    set_links(instance, links_of(previous))


def _refused(record, error):
    return ValidationError(
        RULE_REFUSES % {"record": record, "rules": refusal_text(type(record), error)},
        code="rules",
    )
