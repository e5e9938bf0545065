"""No lost updates: a form remembers which version of a record it showed, and a save
from a form that has gone stale is refused, saying who changed what meanwhile.

The version of a record is the id of its latest history row. Every write in this
project leaves one (the admin, the services, imports, reverts), so "a newer history
row" is exactly "someone saved this record after you opened it", with no column to
add to every table, and the two history rows say what changed between them.

The check runs when the form is validated, after the rows are locked with
``SELECT ... FOR UPDATE`` inside the request's transaction: on PostgreSQL a second
save of the same record waits for the first to commit and then sees its history row.
SQLite cannot lock rows; its transactions begin IMMEDIATE (see settings), which
serialises writing requests instead.

Locks are taken in one order everywhere, or two saves could each hold the row the
other waits for (PostgreSQL reports a deadlock, and the clerk sees an error page):
rows of one table in primary-key order, and a record whose save service locks a
parent row first (a standing change locks its party) has the version check lock that
parent first too, declared by its admin's ``lock_first``.

The version is read before the record it belongs to. Between the two reads someone
may save; read the other way round, the form would show the old values stamped with
the new version, and its save would silently undo theirs. This way round it shows
the new values with the old version, and its save is refused: the safe mistake.

A form posted without a version (a script, or a page opened before this existed) is
not checked: the admin puts one in every form it renders to a user who may change
the record.
"""

import datetime

from django import forms
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .history import latest_history_ids

VERSION = "seen_version"

CONFLICT = _(
    "Not saved: %(record)s was changed by %(who)s after you opened it. "
    "Changes made meanwhile: %(changes)s. Your edits are still in the form: copy "
    "them, reload the page to see the current record, and make them again."
)
DELETED_MEANWHILE = _(
    "Not saved: %(record)s was deleted by %(who)s after you opened it."
)
NOTHING_VISIBLE = _("no field you can see")


def latest_versions(model, pks) -> dict:
    """``pk → id of the record's latest history row`` for ``pks`` (a list, or a
    queryset of primary keys), in one query."""
    if not isinstance(pks, QuerySet):
        pks = [pk for pk in pks if pk is not None]
        if not pks:
            return {}
    return dict(latest_history_ids(model, pks).values_list("id", "last"))


def _lock(queryset):
    list(queryset.select_for_update().order_by("pk").values_list("pk", flat=True))


def stale(model, seen: dict, lock_first=None, moved_to=()) -> dict:
    """Of the records in ``seen`` (pk → version the form showed), those saved since,
    as pk → their latest version. Locks the rows until the transaction ends, after
    the rows their ``lock_first`` foreign key points at, and those in ``moved_to``
    (the parents the form gives them)."""
    if not seen:
        return {}
    using = router.db_for_write(model)
    if transaction.get_connection(using).in_atomic_block:
        rows = model._base_manager.using(using).filter(pk__in=list(seen))
        if lock_first:
            parent = model._meta.get_field(lock_first)
            # The parents before and after the save in one ordered statement: two
            # clerks moving records between the same two parents lock them alike.
            _lock(
                parent.related_model._base_manager.using(using).filter(
                    Q(pk__in=rows.values(parent.attname))
                    | Q(pk__in=[pk for pk in moved_to if pk is not None])
                )
            )
        _lock(rows)
    latest = latest_versions(model, seen)
    return {
        pk: latest.get(pk, 0)
        for pk, version in seen.items()
        if latest.get(pk, 0) != version
    }


def shown(field, value):
    """A stored value as a clerk reads it."""
    if value is None or value == "":
        return "—"
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        return f"“{related}”" if related is not None else f"#{value}"
    if field.choices:
        return f"“{dict(field.flatchoices).get(value, value)}”"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value)
    return f"“{value}”"


def conflict_message(model, pk, seen: int, latest: int) -> str:
    """What happened to record ``pk`` between version ``seen`` and ``latest``."""
    later = list(
        model.history.filter(id=pk, history_id__gt=seen)
        .select_related("history_user")
        .order_by("history_id")
    )
    who = ", ".join(
        dict.fromkeys(
            "{} ({})".format(
                row.history_user or _("a command"),
                formats.date_format(
                    timezone.localtime(row.history_date), "DATETIME_FORMAT"
                ),
            )
            for row in later
        )
    ) or _("someone")
    newest = later[-1] if later else None
    record = str(newest.instance if newest else model._meta.verbose_name)
    if newest is not None and newest.history_type == "-":
        return DELETED_MEANWHILE % {"record": record, "who": who}
    before = model.history.filter(history_id=seen).first()
    changes = []
    if before is not None and newest is not None:
        for change in newest.diff_against(before).changes:
            field = model._meta.get_field(change.field)
            if field.many_to_many:
                continue
            changes.append(
                f"{field.verbose_name} {shown(field, change.old)} → "
                f"{shown(field, change.new)}"
            )
    return CONFLICT % {
        "record": record,
        "who": who,
        "changes": "; ".join(changes) or NOTHING_VISIBLE,
    }


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=0, **kwargs)

    def has_changed(self, initial, data):
        # Bookkeeping, not an edit: an inline row whose fields are untouched must not
        # be saved (and gain an empty history row) because it carries a version.
        return False


class VersionedFormMixin:
    """Carries the version of its record; a stand-alone form checks it in ``clean``.

    In a formset the formset checks every row in one query instead.
    """

    checked_by_formset = False
    lock_first = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            version = getattr(self.instance, "_seen_version", None)
            if version is None:
                version = latest_versions(type(self.instance), [self.instance.pk])
                version = version.get(self.instance.pk, 0)
            self.fields[VERSION].initial = version

    def seen(self):
        """``{pk: version}`` if this form edits a stored record and says which version
        it showed, else ``{}``."""
        version = (
            self.cleaned_data.get(VERSION) if hasattr(self, "cleaned_data") else None
        )
        if self.instance.pk is None or version is None:
            return {}
        return {self.instance.pk: version}

    def moved_to(self):
        """The parent (``lock_first``) this form gives its record, as a list of
        its primary key."""
        parent = getattr(self, "cleaned_data", {}).get(self.lock_first or "")
        return [parent.pk] if parent is not None else []

    def clean(self):
        cleaned_data = super().clean()
        if not self.checked_by_formset:
            model = type(self.instance)
            seen = self.seen()
            for pk, latest in stale(
                model, seen, self.lock_first, self.moved_to()
            ).items():
                raise forms.ValidationError(
                    conflict_message(model, pk, seen[pk], latest),
                    code="conflict",
                )
        return cleaned_data


class VersionedFormSetMixin:
    """Gives every row its version in one query, and checks the rows being saved in
    one."""

    #: Name of the field that shows a row's conflict; ``None`` for the row's
    #: non-field errors (which a change list does not display).
    conflict_field = None
    lock_first = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # The versions before the rows (see the module's docstring).
            versions = latest_versions(self.model, self.get_queryset().values("pk"))
            for obj in self.get_queryset():
                obj._seen_version = versions.get(obj.pk, 0)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.checked_by_formset = True
        return form

    def clean(self):
        super().clean()
        forms_by_pk = {}
        seen = {}
        moved_to = []
        for form in self.initial_forms:
            # Only rows that will be written: Django saves a row of a formset only if
            # it changed, so an untouched row that someone else edited meanwhile
            # loses nothing and must not block the rest of the page. (A stand-alone
            # form is always written, and always checked.)
            if not (form.has_changed() or self._should_delete_form(form)):
                continue
            if form.is_valid() or self._should_delete_form(form):
                for pk, version in form.seen().items():
                    seen[pk] = version
                    forms_by_pk[pk] = form
                moved_to += form.moved_to()
        for pk, latest in stale(self.model, seen, self.lock_first, moved_to).items():
            form = forms_by_pk[pk]
            field = self.conflict_field if self.conflict_field in form.fields else None
            form.add_error(
                field,
                forms.ValidationError(
                    conflict_message(self.model, pk, seen[pk], latest),
                    code="conflict",
                ),
            )


def versioned(form_class, lock_first=None):
    """``form_class`` with the version field and its check."""
    if issubclass(form_class, VersionedFormMixin):
        return form_class
    return type(
        form_class.__name__,
        (VersionedFormMixin, form_class),
        {VERSION: VersionField(), "lock_first": lock_first},
    )


def versioned_formset(formset_class, conflict_field=None, lock_first=None):
    if issubclass(formset_class, VersionedFormSetMixin):
        return formset_class
    return type(
        formset_class.__name__,
        (VersionedFormSetMixin, formset_class),
        {"conflict_field": conflict_field, "lock_first": lock_first},
    )


def with_version_field(fieldsets):
    """``fieldsets`` with the hidden version field in the first, once."""
    if not fieldsets or VERSION in flatten_fieldsets(fieldsets):
        return fieldsets
    (name, options), *rest = fieldsets
    return [(name, {**options, "fields": [*options["fields"], VERSION]}), *rest]


def without_version_field(fieldsets):
    """``fieldsets`` less the version field, which a page that saves nothing does
    not carry."""

    def kept(fields):
        for field in fields:
            if isinstance(field, (list, tuple)):
                line = tuple(one for one in field if one != VERSION)
                if line:
                    yield line
            elif field != VERSION:
                yield field

    return [
        (name, {**options, "fields": list(kept(options["fields"]))})
        for name, options in fieldsets
    ]


class VersionedAdminMixin:
    """Optimistic locking for a ModelAdmin: its change form (and so the revert form
    of its history) and its list-editable change list."""

    #: The foreign key whose row the model's save service locks before saving (a
    #: standing change's party): the version check locks it first too.
    lock_first = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form = versioned(self.form, self.lock_first)

    def get_object(self, request, object_id, from_field=None):
        """The record, with the version read before it (see the module's
        docstring)."""
        version = None
        if from_field is None:
            try:
                pk = self.opts.pk.to_python(unquote(object_id))
            except ValidationError:
                pk = None
            version = latest_versions(self.model, [pk]).get(pk, 0)
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and version is not None:
            obj._seen_version = version
        return obj

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets  # nothing to check, or every field is read-only
        return with_version_field(fieldsets)

    def get_changelist_form(self, request, **kwargs):
        return versioned(super().get_changelist_form(request, **kwargs))

    def get_changelist_formset(self, request, **kwargs):
        return versioned_formset(
            super().get_changelist_formset(request, **kwargs),
            conflict_field=next(iter(self.list_editable), None),
            lock_first=self.lock_first,
        )


class VersionedInlineMixin:
    """Optimistic locking for the rows of an inline."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form = versioned(self.form)
        self.formset = versioned_formset(self.formset)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.has_change_permission(request, obj):
            return fieldsets
        return with_version_field(fieldsets)
