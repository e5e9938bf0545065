"""The admin every app builds on: ``ServiceAdmin``, the base of every model's admin,
and the building blocks shared by the apps."""

import copy

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import (
    NestedObjects,
    flatten_fieldsets,
    quote,
    unquote,
)
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import models, router, transaction
from django.forms.models import construct_instance
from django.http import Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from .audit.entries import version_name
from .concurrency import (
    VersionedAdminMixin,
    VersionedInlineMixin,
    without_version_field,
)
from .history import history_model, may_view, model_key, tracked_models
from .services import record_delete, record_save
from .spreadsheets.admin import SpreadsheetAdminMixin

DATE = _("date")
#: The field of a revert form asking why: it becomes the history row's reason.
REVERT_REASON = "revert_reason"
HIDDEN_RECORDS = ngettext_lazy(
    "%(count)s record of a kind you may not see",
    "%(count)s records of a kind you may not see",
    "count",
)
HIDDEN_KINDS = _("records of a kind you may not see")


class CompactInline(VersionedInlineMixin, admin.TabularInline):
    """A tabular inline whose text boxes fit a row on a laptop screen, and whose rows
    refuse a stale save."""

    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 32})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 18})},
    }


def partial_date_column(description=DATE, ordering="date"):
    """A changelist column showing ``obj.when``: a partial date as a clerk writes it."""

    @admin.display(description=description, ordering=ordering)
    def when(self, obj):
        return obj.when

    return when


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that takes its selected option from the form's instance.

    Django's widget looks its selected value up with one query per widget: an inline of
    200 rows costs 200 queries. ``PreloadedRelationsForm`` hands each widget the
    related object its row already holds (loaded with ``select_related``); for any
    other value, such as a re-displayed POST, the widget queries as usual.
    """

    preloaded = None

    def optgroups(self, name, value, attr=None):
        obj = self.preloaded
        empty = self.choices.field.empty_values
        selected = {str(v) for v in value if str(v) not in empty}
        if obj is None or selected != {str(obj.pk)}:
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(obj)
        options.append(self.create_option(name, obj.pk, label, True, len(options)))
        return [(None, options, 0)]


class PreloadedRelationsForm(forms.ModelForm):
    """Gives each preloaded autocomplete widget the object its row already has."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if not isinstance(widget, PreloadedAutocompleteSelect):
                continue
            model_field = self.instance._meta.get_field(name)
            if model_field.is_cached(self.instance):
                widget.preloaded = getattr(self.instance, name)


class PreloadedAutocompleteMixin:
    """For inlines: autocomplete fields that cost no query per row.

    Pair with ``select_related`` of the autocomplete fields in ``get_queryset``.
    """

    form = PreloadedRelationsForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                PreloadedAutocompleteSelect(
                    db_field, self.admin_site, using=kwargs.get("using")
                ),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def deleted_objects(objs, request, admin_site, hidden):
    """What ``django.contrib.admin.utils.get_deleted_objects`` tells of deleting
    ``objs`` (what goes with them, how many of each kind, the permissions lacking,
    what blocks it), with records of the ``hidden`` models counted, not named: a
    registry officer learns that a party is in use, not what its pledges are.

    Django's function names every record and takes no hook to do otherwise, so its
    collection is done here again, with the same ``NestedObjects``.
    """
    try:
        using = router.db_for_write(objs[0]._meta.model)
    except IndexError:
        return [], {}, set(), []
    collector = NestedObjects(using=using, origin=objs)
    collector.collect(objs)
    perms_needed = set()
    concealed = object()

    def describe(obj):
        model, opts = type(obj), obj._meta
        registered = admin_site.is_registered(model)
        if registered and not admin_site.get_model_admin(model).has_delete_permission(
            request, obj
        ):
            perms_needed.add(HIDDEN_KINDS if model in hidden else opts.verbose_name)
        if model in hidden:
            return concealed
        try:
            url = reverse(
                f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=[quote(obj.pk)],
            )
        except NoReverseMatch:
            registered = False
        if not registered:
            return f"{capfirst(opts.verbose_name)}: {obj}"
        return format_html(
            '{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj
        )

    def counted(items):
        kept = [counted(i) if isinstance(i, list) else i for i in items]
        shown = [item for item in kept if item is not concealed]
        if len(shown) < len(kept):
            shown.append(HIDDEN_RECORDS % {"count": len(kept) - len(shown)})
        return shown

    counts = {
        model._meta.verbose_name_plural: len(found)
        for model, found in collector.model_objs.items()
        if model not in hidden
    }
    return (
        counted(collector.nested(describe)),
        counts,
        perms_needed,
        counted([describe(obj) for obj in collector.protected]),
    )


def draft_of(form):
    """The record as ``form`` would save it, ``form.instance`` left as it is: for a
    form's ``clean()`` to ask a service's rules across records, which the model's own
    validation, run after ``clean()``, does not hold."""
    return construct_instance(form, copy.copy(form.instance))


def differs_from_stored(obj):
    """Whether ``obj`` differs from its row in the database.

    Compared with the stored row, not with the form's initial values: a history
    revert form starts from the old version, so an untouched revert form "has not
    changed" and must still be saved.
    """
    stored = type(obj)._base_manager.filter(pk=obj.pk).first()
    if stored is None:
        return True
    return any(
        getattr(stored, field.attname) != getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
    )


def _nameable(version):
    """``version``, a record as a history row has it, made safe to name: if its name
    reads a record deleted since (a delegation's meeting), that record is taken as it
    last was."""
    try:
        str(version)
    except ObjectDoesNotExist:
        version_name(version)
    return version


def _key_or_404(model, value):
    """``value`` as ``model``'s primary key; a mistyped address is a 404, not a
    server error."""
    try:
        return model._meta.pk.to_python(value)
    except ValidationError:
        raise Http404 from None


class ServiceAdmin(VersionedAdminMixin, SpreadsheetAdminMixin, SimpleHistoryAdmin):
    """The base admin of every record.

    Saves through the app's service (``save_service``), so the admin obeys the same
    rules as every other path; imports and exports spreadsheets through the same
    services; refuses a save from a form that has gone stale; reverts and restores
    from the history with their own permissions."""

    save_service = staticmethod(record_save)
    delete_service = staticmethod(record_delete)
    object_history_form_template = "admin/history_revert_form.html"

    def reverting(self, request):
        """Whether ``request`` is for the revert form of a version (simple-history's
        ``history_form_view``), which asks the clerk why."""
        match = request.resolver_match
        opts = self.opts
        return match is not None and match.url_name == (
            f"{opts.app_label}_{opts.model_name}_simple_history"
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self.reverting(request) and "form" not in kwargs:
            reason = forms.CharField(
                label=_("Reason for the revert"),
                max_length=100,  # simple-history's history_change_reason
                help_text=_(
                    "Why the record goes back to this version: it is kept in the "
                    "history with the change."
                ),
            )
            kwargs["form"] = type(
                self.form.__name__, (self.form,), {REVERT_REASON: reason}
            )
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if (
            obj is None
            or not self.reverting(request)
            or self.revert_disabled(request, obj)
        ):
            return fieldsets
        kept = [
            (
                name,
                {
                    **options,
                    "fields": [f for f in options["fields"] if f != REVERT_REASON],
                },
            )
            for name, options in fieldsets
        ]
        return [*kept, (_("Revert"), {"fields": [REVERT_REASON]})]

    @staticmethod
    def change_reason(form) -> str:
        """The reason ``form`` gives for its change: a revert's, else none."""
        return form.cleaned_data.get(REVERT_REASON, "") if form is not None else ""

    def has_revert_permission(self, request, obj=None):
        """Reverting from the history is a change, and a right of its own: the
        model's change permission and its history's (“Can change historical …”)."""
        return self.has_change_permission(
            request, obj
        ) and self.has_change_history_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        hidden = {
            model for model in tracked_models() if not may_view(request.user, model)
        }
        if not hidden:
            return super().get_deleted_objects(objs, request)
        return deleted_objects(objs, request, self.admin_site, hidden)

    def revert_disabled(self, request, obj=None):
        return (
            super().revert_disabled(request, obj)
            or not self.has_revert_permission(request, obj)
            # A deleted record comes back by a restore (see history_form_view).
            or (
                obj is not None
                and not self.model._base_manager.filter(pk=obj.pk).exists()
            )
        )

    def history_view_title(self, request, obj):
        return super().history_view_title(request, _nameable(obj))

    def history_form_view_title(self, request, obj):
        return super().history_form_view_title(request, _nameable(obj))

    def history_view(self, request, object_id, extra_context=None):
        _key_or_404(self.model, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        pk = _key_or_404(self.model, unquote(object_id))
        _key_or_404(history_model(self.model), version_id)
        if request.method == "POST":
            if not self.model._base_manager.filter(pk=pk).exists():
                # A deleted record comes back by a restore, which needs the add
                # permission and checks the records it points at, not by a revert.
                return redirect(
                    "admin:restore_record", model=model_key(self.model), object_id=pk
                )
            # simple-history only hides the button: refuse the POST itself.
            if not self.has_revert_permission(request):
                raise PermissionDenied
        # The record as it is now, for the breadcrumbs to name (the page's "original"
        # is the version shown); None once it is deleted.
        current = self.model._base_manager.filter(pk=pk).first()
        extra_context = {"current": current, **(extra_context or {})}
        return super().history_form_view(request, object_id, version_id, extra_context)

    def render_history_view(self, request, template, context, **kwargs):
        # simple-history shows a version as a form even to who may not revert it
        # (no save button, but live widgets); show it as text instead, as Django
        # shows a record to who may only view it.
        adminform = context.get("adminform")
        if adminform is not None and context.get("revert_disabled"):
            fieldsets = without_version_field(adminform.fieldsets)
            context["adminform"] = helpers.AdminForm(
                adminform.form,
                fieldsets,
                {},
                readonly_fields=flatten_fieldsets(fieldsets),
                model_admin=self,
            )
        return super().render_history_view(request, template, context, **kwargs)

    def save_model(self, request, obj, form, change):
        if change and not differs_from_stored(obj):
            return  # nothing to save, and no empty entry in the history
        self.save_service(obj, actor=request.user, reason=self.change_reason(form))

    def delete_model(self, request, obj):
        self.delete_service(obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        # Each row of an inline as its own page saves it: through its services.
        row_admin = self.admin_site.get_model_admin(formset.model)
        changed = formset.save(commit=False)
        for obj in formset.deleted_objects:
            row_admin.delete_service(obj, actor=request.user)
        for obj in changed:
            row_admin.save_service(obj, actor=request.user)
        formset.save_m2m()

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        # Record by record through the service, as a deletion from the record's page.
        for obj in queryset:
            self.delete_service(obj, actor=request.user)
