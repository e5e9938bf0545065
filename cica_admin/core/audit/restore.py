"""Restoring a deleted record from its history.

The record comes back with its primary key and the values it had when it was deleted,
after the model's rules have accepted it as they would a new record. Its history is
kept: the restore is one more row ("added", by the clerk, with the reason
``RESTORED``), so the record's history page tells the whole story.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..history import links_of, set_links
from ..services import refusal_text
from .entries import fallback_name, last_versions, version_name

#: The change reason of every history row a restore writes.
RESTORED = "restored from the deleted records"

NOT_DELETED = _(
    "%(record)s is not among the deleted records: it exists, or it never did."
)
PARENT_DELETED = _(
    "%(record)s cannot be restored: its %(field)s, %(parent)s, is deleted too. "
    "Restore %(parent)s first."
)
REFUSED = _("%(record)s cannot be restored: %(rules)s")
LINKS_LOST = _(
    "%(record)s was restored without its links to %(targets)s: they are deleted."
)


def last_deletion(model, object_id):
    """The history row that says the record was deleted, if it is deleted now."""
    row = model.history.filter(id=object_id).order_by("-history_id").first()
    if (
        row is None
        or row.history_type != "-"
        or model._base_manager.filter(pk=object_id).exists()
    ):
        raise ValidationError(
            NOT_DELETED % {"record": fallback_name(model, object_id)}, code="missing"
        )
    return row


def _deleted_name(model, pk):
    """A deleted record named as its last history row has it."""
    version = last_versions(model, [pk]).get(pk)
    return version_name(version) if version is not None else fallback_name(model, pk)


def missing_parents(instance):
    """``(field, parent model, pk)`` of each record ``instance`` points at that does
    not exist (deleted since)."""
    missing = []
    for field in instance._meta.concrete_fields:
        if not field.is_relation:
            continue
        pk = getattr(instance, field.attname)
        target = field.target_field.attname
        if (
            pk is not None
            and not field.related_model._base_manager.filter(**{target: pk}).exists()
        ):
            missing.append((field, field.related_model, pk))
    return missing


def _links_before(model, deletion):
    """The many-to-many links the record had when it was deleted. The deletion's own
    row has none (the links go first), so they are read from the version before."""
    before = (
        model.history.filter(id=deletion.id, history_id__lt=deletion.history_id)
        .order_by("-history_id")
        .first()
    )
    return links_of(before) if before is not None else {}


@transaction.atomic
def record_restore(*, model, object_id, actor) -> tuple[object, list[str]]:
    """Bring back the deleted record ``object_id`` of ``model`` with its primary key
    and the values of its last version, and its many-to-many links to records that
    still exist. Refused, with nothing written, when a record it points at is deleted
    too or when the model's rules (``full_clean``) refuse it as they stand today.

    Returns the record and notes for the clerk (links that could not be restored).
    """
    deletion = last_deletion(model, object_id)
    instance = deletion.instance
    missing = missing_parents(instance)
    if missing:
        field, parent_model, pk = missing[0]
        raise ValidationError(
            PARENT_DELETED
            % {
                "record": version_name(deletion.instance),
                "field": field.verbose_name,
                "parent": _deleted_name(parent_model, pk),
            },
            code="parent",
        )
    record = version_name(instance)
    # Saved as the admin saves this kind of record: through its service, which
    # validates it and takes the locks its rules need (a timeline, a pledge).
    try:
        admin.site.get_model_admin(model).save_service(
            instance, actor=actor, reason=RESTORED
        )
    except ValidationError as error:
        raise ValidationError(
            REFUSED % {"record": record, "rules": refusal_text(model, error)},
            code="rules",
        ) from error
    notes = [
        LINKS_LOST
        % {
            "record": record,
            "targets": ", ".join(_deleted_name(field.related_model, pk) for pk in lost),
        }
        for field, lost in set_links(instance, _links_before(model, deletion))
    ]
    return instance, notes
