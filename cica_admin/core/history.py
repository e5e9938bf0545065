"""Reads across the change history of every model.

Every model keeps its history in a table of its own. Reads that span them (the
dashboard's recent changes, the audit log, the deleted records) pick the rows they need
with one UNION ALL query over the history tables, ordered by date, and then load the
rows of each model with one query per model.
"""

import dataclasses
import datetime
import functools
from dataclasses import dataclass

from django.contrib.auth import get_permission_codename, get_user_model
from django.db.models import CharField, Exists, Max, OuterRef, Q, Value
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history import utils as history_utils
from simple_history.models import registered_models

#: history_type to the word the pages use.
VERBS = {"+": "added", "~": "changed", "-": "deleted"}
#: Who wrote a synthetic row that names no user: the generator of made-up data.
SYNTHETIC_WRITER = _("generate_synthetic (made-up data)")
#: Rows written by one save are this close in time (a request, a command's record).
ONE_SAVE = datetime.timedelta(seconds=2)


@dataclass(frozen=True)
class Change:
    model: type
    object_id: int
    record: object  # the historical row
    user: object
    #: The same save's other records: the changes of standing a decision caused.
    side_effects: tuple = dataclasses.field(default=())
    #: The record was added by this save (its newest row may say "changed": a
    #: decision's links are set after it is added).
    added: bool = False

    @property
    def what(self):
        return self.model._meta.verbose_name

    @property
    def verb(self):
        return VERBS["+"] if self.added else VERBS[self.record.history_type]

    @property
    def writer(self):
        """Who made the change: the user, or for a synthetic row the generator."""
        if self.user is not None:
            return self.user
        if getattr(self.record, "synthetic", False):
            return SYNTHETIC_WRITER
        return None

    @property
    def history_url(self):
        return history_url(self.model, self.object_id)


def history_url(model, object_id):
    """The admin's history page of one record, deleted or not ("" if none)."""
    opts = model._meta
    try:
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_history", args=[object_id]
        )
    except NoReverseMatch:
        return ""


@functools.cache
def history_model(model):
    """``model``'s historical model. (``model.history`` builds a manager class at
    each access: cheap once, not for every row of a page.)"""
    return model.history.model


def history_of(model):
    """Every history row of ``model``, unordered."""
    return history_model(model)._default_manager.order_by()


@functools.cache
def link_fields(history_model):
    """``(field, m2m history model, target field attname, target model)`` for each
    many-to-many field whose links the history keeps; made once per model."""
    links = []
    for one in getattr(history_model, "_history_m2m_fields", ()):
        m2m_model = getattr(history_model, one.name).model
        target = history_utils.get_m2m_reverse_field_name(one)
        links.append(
            (
                one,
                m2m_model,
                m2m_model._meta.get_field(target).attname,
                one.related_model,
            )
        )
    return links


def links_of(row) -> dict:
    """``{many-to-many field: [target pks]}``: the links the record had as of the
    history row ``row``, for each link field whose history is kept."""
    return {
        one: list(m2m_model.objects.filter(history=row).values_list(target, flat=True))
        for one, m2m_model, target, _target_model in link_fields(type(row))
    }


def set_links(instance, links) -> list:
    """Give ``instance`` the links ``links`` (as ``links_of`` gives them) to the
    targets that still exist; returns ``(field, pks)`` of the targets that do not."""
    lost = []
    for field, pks in links.items():
        kept = list(field.related_model._base_manager.filter(pk__in=pks))
        getattr(instance, field.name).set(kept)
        missing = sorted(set(pks) - {target.pk for target in kept})
        if missing:
            lost.append((field, missing))
    return lost


def latest_history_ids(model, pks):
    """A query of ``id`` and ``last``: the id of each record's latest history row,
    for ``pks`` (a list, or a query of primary keys)."""
    return (
        history_of(model)
        .filter(id__in=pks)
        .values("id")
        .annotate(last=Max("history_id"))
    )


def tracked_models():
    """Every model whose history is kept, link tables of many-to-many fields aside."""
    return sorted(
        (model for model in registered_models.values() if hasattr(model, "history")),
        key=lambda model: model._meta.label,
    )


def model_key(model):
    """``app_label.model_name``: how a tracked model is named in URLs and forms."""
    return f"{model._meta.app_label}.{model._meta.model_name}"


def has_model_perm(user, action, model):
    """Whether ``user`` holds ``model``'s ``action`` permission ("view", "add", ...)."""
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")


def may_view(user, model):
    """Whether ``user`` may read ``model``'s records: the admin's rule (the view or
    the change permission)."""
    return has_model_perm(user, "view", model) or has_model_perm(user, "change", model)


def may_read_history(user, model):
    """Whether ``user`` may read ``model``'s history. The rule of its History pages
    (simple-history, with ``SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS``), and
    so of every other page made of history rows: the audit log, the deleted records,
    the dashboard's recent changes. The historical model's view or change
    permission; every role that may view a model holds the first."""
    return may_view(user, history_model(model))


def visible_models(user):
    """The tracked models whose history ``user`` may read."""
    return [model for model in tracked_models() if may_read_history(user, model)]


class Kind:
    """Who wrote a history row, as far as the row says."""

    IMPORT = "import"  # a spreadsheet import: the row points at its batch
    COMMAND = "command"  # a command or a service: a reason, no batch
    ADMIN = "admin"  # an edit in the admin: no reason


@dataclass(frozen=True)
class Criteria:
    """Which history rows to read. Empty criteria read every row.

    ``since`` is inclusive and ``until`` exclusive, both aware datetimes; use
    ``days()`` to turn dates of the site's calendar into them.
    """

    user_id: int | None = None
    object_id: str | None = None
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None
    kind: str = ""
    action: str = ""  # "+", "~" or "-"
    reason: str = ""  # text the change reason contains

    @staticmethod
    def days(first=None, last=None):
        """``(since, until)`` for the days ``first`` to ``last`` inclusive, in the
        site's time zone (Asia/Almaty): a day starts at its local midnight."""
        zone = timezone.get_current_timezone()

        def midnight(day):
            return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)

        since = midnight(first) if first else None
        until = midnight(last + datetime.timedelta(days=1)) if last else None
        return since, until

    def filter(self, rows):
        """``rows`` (a history QuerySet) narrowed to these criteria."""
        if self.user_id is not None:
            rows = rows.filter(history_user_id=self.user_id)
        if self.object_id is not None:
            rows = rows.filter(id=self.object_id)
        if self.since is not None:
            rows = rows.filter(history_date__gte=self.since)
        if self.until is not None:
            rows = rows.filter(history_date__lt=self.until)
        if self.action:
            rows = rows.filter(history_type=self.action)
        no_reason = Q(history_change_reason__isnull=True) | Q(history_change_reason="")
        if self.kind == Kind.IMPORT:
            rows = rows.filter(import_batch__isnull=False)
        elif self.kind == Kind.COMMAND:
            rows = rows.filter(import_batch__isnull=True).exclude(no_reason)
        elif self.kind == Kind.ADMIN:
            rows = rows.filter(no_reason, import_batch__isnull=True)
        if self.reason:
            rows = rows.filter(history_change_reason__icontains=self.reason)
        return rows


def _branch(model, rows):
    return (
        rows.order_by()
        .annotate(label=Value(model._meta.label, output_field=CharField()))
        .values_list("label", "history_id", "history_date")
    )


def pick(branches, *, limit, offset=0, after=None):
    """The ``limit`` newest history rows across ``branches`` (pairs of a model and a
    QuerySet of its history rows), skipping the first ``offset`` or, with ``after``,
    every row up to that one (a ``(model, history_id, history_date)`` this function
    returned). One query; ``(model, history_id, history_date)`` triples, newest first.

    Ties on the date fall back to the history id, then the model, so pages never
    overlap. (Cutting each branch to ``offset + limit`` rows inside the union was
    slower on SQLite, measured in ``benchmarks/audit.py``, and Django cannot order a
    union of sliced queries.)
    """
    branches = list(branches)
    if not branches or limit <= 0:
        return []
    if after is not None:
        branches = [(model, _after(model, rows, after)) for model, rows in branches]
    by_label = {model._meta.label: model for model, _rows in branches}
    order = ["-history_date", "-history_id", "-label"]
    picks = [_branch(model, rows) for model, rows in branches]
    union = picks[0].union(*picks[1:], all=True).order_by(*order)
    return [
        (by_label[label], history_id, date)
        for label, history_id, date in union[offset : offset + limit]
    ]


def _after(model, rows, cursor):
    """``rows`` that come after ``cursor`` in the order of ``pick``."""
    last_model, history_id, date = cursor
    # Same date and id in another table: this model's row comes after the cursor's
    # if its label sorts lower (the order is descending).
    lower = model._meta.label < last_model._meta.label
    same = {"history_id__lte" if lower else "history_id__lt": history_id}
    return rows.filter(Q(history_date__lt=date) | Q(history_date=date, **same))


def count(branches):
    """How many history rows ``branches`` hold together: one COUNT over the union."""
    picks = [_branch(model, rows) for model, rows in branches]
    if not picks:
        return 0
    return picks[0].union(*picks[1:], all=True).count()


def history_users(models):
    """The users who wrote any history row of ``models``, as a QuerySet (one query,
    the union of each table's distinct users inside it)."""
    picks = [
        history_of(model)
        .filter(history_user__isnull=False)
        .values_list("history_user_id")
        .distinct()
        for model in models
    ]
    users = get_user_model().objects.order_by("username")
    if not picks:
        return users.none()
    return users.filter(pk__in=picks[0].union(*picks[1:]))


def deleted(model):
    """History rows of ``model``'s records that are deleted now: the record's last
    row says "deleted" and no record with its id exists."""
    rows = history_of(model)
    later = rows.filter(id=OuterRef("id"), history_id__gt=OuterRef("history_id"))
    return (
        rows.filter(history_type="-")
        .exclude(Exists(later))
        .exclude(id__in=model._base_manager.values("pk"))
    )


def _one_save(row, previous):
    """Whether history ``row`` was written by the same save as ``previous``, the
    next newer row: same user, reason and batch, moments apart."""
    return (
        row.history_user_id == previous.history_user_id
        and (row.history_change_reason or "") == (previous.history_change_reason or "")
        and row.import_batch_id == previous.import_batch_id
        and previous.history_date - row.history_date <= ONE_SAVE
    )


def _grouped(changes):
    """``changes`` (newest first) as one ``Change`` per save: the record the save
    wrote last leads, a record written twice (a decision, then its links) counts
    once, and the save's other records are its side effects."""
    groups = []
    for change in changes:
        if groups and _one_save(change.record, groups[-1][-1].record):
            groups[-1].append(change)
        else:
            groups.append([change])
    saves = []
    for group in groups:
        records = {}
        for change in group:
            records.setdefault((change.model, change.object_id), []).append(change)
        (lead, *_older), *others = records.values()
        saves.append(
            Change(
                lead.model,
                lead.object_id,
                lead.record,
                lead.user,
                side_effects=tuple(rows[0] for rows in others),
                added=any(
                    c.record.history_type == "+"
                    for c in records[lead.model, lead.object_id]
                ),
            )
        )
    return saves


def recent_changes(models, limit=10) -> list[Change]:
    """The latest ``limit`` saves to any of ``models``, newest first: a change with
    its side effects (a decision with the changes of standing it caused) is one.

    One query picks the latest rows across every history table; one per model among
    them loads the rows with their user. A save that wrote more rows than are picked
    is shown with those picked.
    """
    picked = pick(
        [(model, history_of(model)) for model in models], limit=limit * SAVE_ROWS
    )
    by_model = {}
    for model, history_id, _date in picked:
        by_model.setdefault(model, []).append(history_id)
    rows = []
    for model, ids in by_model.items():
        for record in model.history.filter(history_id__in=ids).select_related(
            "history_user"
        ):
            rows.append(Change(model, record.id, record, record.history_user))
    order = {(model, history_id): i for i, (model, history_id, _) in enumerate(picked)}
    rows.sort(key=lambda change: order[change.model, change.record.pk])
    return _grouped(rows)[:limit]


#: How many history rows a save is read with, at most, on the dashboard.
SAVE_ROWS = 5
