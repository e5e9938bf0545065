"""Entries of the audit log: history rows with what changed in each, in words.

A page of entries costs a fixed number of queries whatever its length: per model on
the page one query for its rows and one for their previous versions, then one per
model whose records are named (``Names``), and one more per model with deleted
records among them, and for a model with tracked many-to-many links one per link
field.
"""

import datetime
import decimal
import functools
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import OuterRef, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..history import (
    VERBS,
    history_model,
    history_of,
    history_url,
    latest_history_ids,
    link_fields,
    model_key,
)

EMPTY = "—"


def naming_relations(model):
    """What to load with ``model``'s records so that naming them costs no query:
    the relations its admin list already loads to show each row's name."""
    if not admin.site.is_registered(model):
        return []
    related = admin.site.get_model_admin(model).list_select_related
    if related is True:
        return None  # select_related() with no fields: every non-null relation
    return list(related or [])


def is_link(field):
    """A foreign key (or one-to-one) field."""
    return field.is_relation and field.concrete


def fallback_name(model, pk):
    return f"{capfirst(model_name(model))} #{pk}"


def _name(obj, model, pk):
    try:
        return str(obj)
    except ObjectDoesNotExist:  # it names a record that is deleted
        return fallback_name(model, pk)


def last_versions(model, pks) -> dict:
    """``pk → the record as its last history row has it`` for ``pks``, in one query:
    how a deleted record is named."""
    if not pks or not hasattr(model, "history"):
        return {}
    last = latest_history_ids(model, pks).values("last")
    rows = history_of(model).filter(history_id__in=last)
    return {row.id: row.instance for row in rows}


def version_name(instance):
    """The name of ``instance``, a record as a history row has it, whose related
    records may be deleted since: each of those is named as its own last history row
    has it ("Bahrain at First Informal Ministerial Meeting", not "Delegation #16")."""
    names = Names()
    names.want_relations(instance, instance._meta.concrete_fields)
    names.load()
    return names.name_version(type(instance), instance, instance._meta.concrete_fields)


class Names:
    """Records to be named, asked for first and then loaded together: one query per
    model, with the relations their names use; for those deleted, one for their last
    versions, and a round more for the records those versions point at."""

    #: Rounds of loading: the records asked for, then what deleted ones point at.
    ROUNDS = 2

    def __init__(self):
        self.wanted = defaultdict(set)
        self.found = {}
        self.deleted = {}  # model → pk → the record as its last history row has it

    def want(self, model, pk):
        if pk is not None:
            self.wanted[model].add(pk)

    def want_relations(self, row, fields):
        for one in fields:
            if is_link(one):
                self.want(one.related_model, getattr(row, one.attname))

    def load(self):
        for _round in range(self.ROUNDS):
            wanted, self.wanted = self.wanted, defaultdict(set)
            for model, pks in wanted.items():
                found = self.found.setdefault(model, {})
                deleted = self.deleted.setdefault(model, {})
                pks -= set(found) | set(deleted)
                if not pks:
                    continue
                records = model._base_manager.filter(pk__in=pks).order_by()
                relations = naming_relations(model)
                records = (
                    records.select_related()
                    if relations is None
                    else records.select_related(*relations)
                )
                found.update((record.pk, record) for record in records)
                versions = last_versions(model, pks - set(found))
                deleted.update(versions)
                for version in versions.values():
                    self.want_relations(version, model._meta.concrete_fields)
        self.wanted.clear()

    def get(self, model, pk):
        return self.found.get(model, {}).get(pk)

    def exists(self, model, pk):
        return pk in self.found.get(model, {})

    def _with_relations(self, instance, fields, depth=ROUNDS):
        """``instance`` with its related records among those loaded (as they last
        were, if deleted, with theirs in turn) in its cache: naming it runs no
        query."""
        for one in fields:
            if is_link(one):
                pk = getattr(instance, one.attname)
                if pk is not None:
                    related = self.get(one.related_model, pk)
                    if related is None:
                        related = self.deleted.get(one.related_model, {}).get(pk)
                        if related is not None and depth > 1:
                            self._with_relations(
                                related, related._meta.concrete_fields, depth - 1
                            )
                    one.set_cached_value(instance, related)
        return instance

    def name(self, model, pk):
        record = self.get(model, pk)
        if record is not None:
            return _name(record, model, pk)
        version = self.deleted.get(model, {}).get(pk)
        if version is None:
            named = fallback_name(model, pk)
        else:
            self._with_relations(version, model._meta.concrete_fields)
            named = _name(version, model, pk)
        return _("%(record)s (deleted)") % {"record": named}

    def name_version(self, model, row, fields):
        """The name of the record as ``row`` (a history row, or the record it
        holds) has it, its related records taken from those loaded."""
        instance = getattr(row, "instance", row)
        return _name(self._with_relations(instance, fields), model, instance.pk)


@functools.cache
def _label(field, language):
    """``field``'s verbose name, capitalised, in ``language``: made once."""
    return capfirst(str(field.verbose_name))


def label(field):
    return _label(field, translation.get_language())


@functools.cache
def _model_name(model, language):
    return str(model._meta.verbose_name)


def model_name(model):
    """``model``'s verbose name, made once per language (a lazy string, rebuilt at
    every ``str``)."""
    return _model_name(model, translation.get_language())


@functools.cache
def _labels(field, language):
    """``field``'s choices as ``{value: label}`` in ``language``, made once: a
    country field has some 250, rebuilt at each ``field.flatchoices``."""
    return {value: str(text) for value, text in field.flatchoices}


def display(field, value, names):
    """``value`` of ``field`` as the admin would show it."""
    if value is None or value == "":
        return EMPTY
    if field.is_relation:
        return names.name(field.related_model, value)
    if field.choices:
        return _labels(field, translation.get_language()).get(value, str(value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j M Y, H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j M Y")
    if isinstance(value, decimal.Decimal):
        return number_format(value, force_grouping=True)  # as stored: 25,000,000.000
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str | None  # None: a first value, not a change
    new: str

    def __str__(self):
        if self.old is None:
            return f"{self.field}: {self.new}"
        return f"{self.field}: {self.old} → {self.new}"


@dataclass
class Entry:
    model: type
    row: object  # the historical row
    record_name: str = ""
    record_url: str = ""
    exists: bool = False
    changes: list = field(default_factory=list)  # FieldChange
    no_previous: bool = False  # a change whose earlier version is not recorded
    may_restore: bool = False  # on the deleted records: the user may restore it

    @property
    def object_id(self):
        return self.row.id

    @property
    def when(self):
        return self.row.history_date

    @property
    def user(self):
        return self.row.history_user

    @property
    def action(self):
        return self.row.history_type

    @property
    def verb(self):
        return VERBS[self.row.history_type]

    @property
    def what(self):
        return self.model._meta.verbose_name

    @property
    def model_key(self):
        return model_key(self.model)

    @property
    def reason(self):
        return self.row.history_change_reason or ""

    @property
    def reason_text(self):
        """The reason as the log states it: an edit in the admin gives none."""
        if self.reason or self.batch:
            return self.reason
        return _("in the admin")

    @property
    def batch(self):
        return self.row.import_batch

    @property
    def history_url(self):
        return history_url(self.model, self.row.id)

    def changes_text(self):
        if self.action == "-":
            return _("deleted")
        if self.no_previous:
            return _("earlier version not recorded")
        return "\n".join(str(change) for change in self.changes)


def _links(history_model, history_ids):
    """``{field name: {history id: set of target pks}}``: one query per link field."""
    found = {}
    for one, m2m_model, target, _target_model in link_fields(history_model):
        by_row = defaultdict(set)
        for history_id, pk in m2m_model.objects.filter(
            history_id__in=history_ids
        ).values_list("history_id", target):
            by_row[history_id].add(pk)
        found[one.name] = by_row
    return found


def entries(picked, *, links=True) -> list[Entry]:
    """The entries of ``picked`` (``(model, history id, ...)`` as ``history.pick``
    gives them), in that order, with the field-level changes of each, and unless
    ``links`` is false the link of each record: its admin page if it exists, else
    its history.
    """
    by_model = defaultdict(list)
    for model, history_id, *_rest in picked:
        by_model[model].append(history_id)
    names = Names()
    loaded = {}  # (model, history id) → (row, previous)
    link_rows = {}  # model → field name → history id → target pks
    for model, ids in by_model.items():
        rows_model = history_model(model)
        earlier = (
            rows_model.objects.filter(
                id=OuterRef("id"), history_id__lt=OuterRef("history_id")
            )
            .order_by("-history_id")
            .values("history_id")[:1]
        )
        rows = list(
            rows_model.objects.filter(history_id__in=ids)
            .select_related("history_user", "import_batch")
            .annotate(previous_id=Subquery(earlier))
        )
        wanted = [row.previous_id for row in rows if row.history_type == "~"]
        previous = (
            rows_model.objects.in_bulk([pk for pk in wanted if pk])
            if any(wanted)
            else {}
        )
        fields = rows_model.tracked_fields
        for row in rows:
            before = previous.get(row.previous_id) if row.history_type == "~" else None
            loaded[model, row.history_id] = (row, before)
            names.want(model, row.id)
            names.want_relations(row, fields)
            if before is not None:
                names.want_relations(before, fields)
        if link_fields(rows_model):
            link_rows[model] = _links(
                rows_model,
                [*ids, *(pk for pk in wanted if pk)],
            )
            for one, _m2m, _target, target_model in link_fields(rows_model):
                for pks in link_rows[model][one.name].values():
                    for pk in pks:
                        names.want(target_model, pk)
    names.load()
    result = []
    for model, history_id, *_rest in picked:
        if (model, history_id) not in loaded:
            continue  # written to and read from between the two queries: gone
        row, before = loaded[model, history_id]
        fields = history_model(model).tracked_fields
        entry = Entry(model=model, row=row)
        entry.exists = names.exists(model, row.id)
        if entry.exists:
            entry.record_name = names.name(model, row.id)
            if links:
                entry.record_url = change_url(model, row.id) or entry.history_url
        else:
            entry.record_name = names.name_version(model, row, fields)
            if links:
                entry.record_url = entry.history_url
        if row.history_type == "~" and before is None:
            entry.no_previous = True
        elif row.history_type != "-":
            entry.changes = _changes(model, row, before, fields, names, link_rows)
        result.append(entry)
    return result


def _changes(model, row, before, fields, names, links):
    changes = []
    pk_name = model._meta.pk.name
    for one in fields:
        if one.name == pk_name:
            continue
        new = getattr(row, one.attname)
        if before is None:
            if new is None or new == "":
                continue
            changes.append(FieldChange(label(one), None, display(one, new, names)))
            continue
        old = getattr(before, one.attname)
        if old != new:
            changes.append(
                FieldChange(
                    label(one),
                    display(one, old, names),
                    display(one, new, names),
                )
            )
    for one, _m2m, _target, target_model in link_fields(history_model(model)):
        by_row = links[model][one.name]
        new = by_row.get(row.history_id, set())
        old = by_row.get(before.history_id, set()) if before is not None else set()
        if old == new:
            continue

        def listed(pks, target_model=target_model):
            return (
                ", ".join(sorted(names.name(target_model, pk) for pk in pks)) or EMPTY
            )

        changes.append(
            FieldChange(
                label(one),
                None if before is None else listed(old),
                listed(new),
            )
        )
    return changes


def initial_values(model, row, names=None):
    """The values ``row`` holds (the empty ones left out), in words."""
    names = names or Names()
    fields = history_model(model).tracked_fields
    names.want_relations(row, fields)
    names.load()
    pk_name = model._meta.pk.name
    return [
        FieldChange(label(one), None, display(one, value, names))
        for one in fields
        if one.name != pk_name
        and (value := getattr(row, one.attname)) is not None
        and value != ""
    ]


def change_url(model, pk):
    opts = model._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])
    except NoReverseMatch:
        return ""
