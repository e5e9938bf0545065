"""The base every app's services stand on: who writes, why, and a validated save.

Each app's ``services.py`` holds the writes that carry its rules; a record whose rules
all live on the model (``clean()`` and constraints) is saved by ``record_save``. The
admin, the importers, import revert, restore and the commands all come through here, so
a refused write is refused the same way on every path and leaves nothing behind.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import capfirst


def attribute(instance: models.Model, *, actor=None, reason: str = "") -> None:
    """Tell django-simple-history who is writing ``instance`` and why."""
    if actor is not None:
        instance._history_user = actor
    if reason:
        instance._change_reason = reason


@transaction.atomic
def record_save(
    instance: models.Model, *, actor=None, reason: str = ""
) -> models.Model:
    """Validate ``instance`` (its ``clean()``, fields and constraints) and save it."""
    instance.full_clean()
    attribute(instance, actor=actor, reason=reason)
    instance.save()
    return instance


@transaction.atomic
def record_delete(instance: models.Model, *, actor=None, reason: str = "") -> None:
    """Delete a record whose deletion carries no rule of its own."""
    attribute(instance, actor=actor, reason=reason)
    instance.delete()


def refusal_text(model, error: ValidationError) -> str:
    """A service's refusal as one sentence-list a clerk can read away from the form:
    each field's messages after its label, the record's own messages as they are."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    fields = {field.name: field for field in model._meta.get_fields()}
    parts = []
    for name, errors in error.message_dict.items():
        messages = " ".join(errors)
        field = fields.get(name)
        if field is None or not hasattr(field, "verbose_name"):
            parts.append(messages)
        else:
            parts.append(f"{capfirst(field.verbose_name)}: {messages}")
    return "; ".join(parts)
