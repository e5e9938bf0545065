"""Admin building blocks shared by the apps."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import NestedObjects, quote
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models, router
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .concurrency import VersionedInlineMixin

DATE = _("date")
HIDDEN_RECORDS = _("%(count)s records of a kind you may not see")
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
