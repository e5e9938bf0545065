"""Reads across the change history of every model."""

from dataclasses import dataclass

from django.db.models import CharField, Value
from django.urls import NoReverseMatch, reverse
from simple_history.models import registered_models


@dataclass(frozen=True)
class Change:
    model: type
    object_id: int
    record: object  # the historical row
    user: object

    @property
    def what(self):
        return self.model._meta.verbose_name

    @property
    def verb(self):
        return {"+": "added", "~": "changed", "-": "deleted"}[self.record.history_type]

    @property
    def history_url(self):
        opts = self.model._meta
        try:
            return reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history",
                args=[self.object_id],
            )
        except NoReverseMatch:
            return ""


def tracked_models():
    """Every model whose history is kept, link tables of many-to-many fields aside."""
    return sorted(
        (model for model in registered_models.values() if hasattr(model, "history")),
        key=lambda model: model._meta.label,
    )


def recent_changes(models, limit=10) -> list[Change]:
    """The latest ``limit`` changes to any of ``models``, newest first.

    One query picks them across every history table; one per model among them loads
    the rows with their user.
    """
    models = list(models)
    if not models:
        return []
    picks = [
        model.history.order_by()
        .annotate(label=Value(model._meta.label, output_field=CharField()))
        .values_list("label", "history_id", "history_date")
        for model in models
    ]
    latest = picks[0].union(*picks[1:], all=True).order_by("-history_date")[:limit]
    by_label = {}
    for label, history_id, _date in latest:
        by_label.setdefault(label, []).append(history_id)
    rows = []
    for model in models:
        ids = by_label.get(model._meta.label)
        if ids:
            for record in model.history.filter(history_id__in=ids).select_related(
                "history_user"
            ):
                rows.append(Change(model, record.id, record, record.history_user))
    return sorted(rows, key=lambda change: change.record.history_date, reverse=True)
