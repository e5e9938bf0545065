from django import forms
from django.contrib import admin, messages
from django.db.models import CharField, TextField
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from cica_admin.core.admin import (
    CompactInline,
    PreloadedAutocompleteMixin,
    ServiceAdmin,
    draft_of,
    partial_date_column,
)
from cica_admin.core.dates import format_partial

from . import rules, selectors, services
from .models import (
    ChairmanshipTerm,
    Party,
    PointOfContact,
    Post,
    PostHolding,
    RecordHorizon,
    SeatEvent,
    StandingChange,
    Status,
)


class StandingTimelineFormSet(BaseInlineFormSet):
    """Validates the party's timeline as a whole, as the clerk has edited it.

    Each row is checked in the context of the other rows on the page (and of any
    stored row the page does not show), not of the rows as they stand in the
    database, so a clerk can correct two rows in one save.
    """

    def get_unique_error_message(self, unique_check):
        # Two rows of the page on one date: the constraint's words, not Django's.
        return rules.DUPLICATE_DATE

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form.instance
            for form in self.forms
            if (form.instance.pk or form.has_changed())
            and not self._should_delete_form(form)
        ]
        deleted = [
            form.instance
            for form in self.forms
            if form.instance.pk and self._should_delete_form(form)
        ]
        by_instance = {id(form.instance): form for form in self.forms}
        errors = services.standing_timeline_errors(
            self.instance, kept=kept, deleted=deleted
        )
        for change, field, message in errors:
            form = by_instance.get(id(change))
            if form is None:  # the timeline as a whole, or a row not on the page
                raise forms.ValidationError(
                    f"{change.when}: {message}" if change else message
                )
            form.add_error(field, message)


class StandingChangeInline(CompactInline):
    model = StandingChange
    formset = StandingTimelineFormSet
    fields = ["status", "date", "precision", "date_latest", "basis", "source", "note"]
    extra = 1
    # Two dates in a row: narrower text boxes keep the party page within a 1,366 px
    # window (tests/browser checks it).
    formfield_overrides = {
        TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 16})},
        CharField: {"widget": forms.TextInput(attrs={"size": 12})},
    }

    def get_queryset(self, request):
        # Each row prints its change, which names the party.
        return super().get_queryset(request).select_related("party")


class ChairmanshipTermInline(CompactInline):
    model = ChairmanshipTerm
    fk_name = "party"
    fields = ["period", "extends", "basis"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        # Each row prints its term and the term it extends, which name their states.
        return super().get_queryset(request).select_related("party", "extends__party")

    def has_add_permission(self, request, obj=None):
        # Terms are added on their own page, where overlaps with other states' terms
        # are checked one term at a time.
        return False


class CurrentStatusFilter(admin.SimpleListFilter):
    title = _("status today")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Status.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status=self.value())
        return queryset


@admin.register(Party)
class PartyAdmin(ServiceAdmin):
    list_display = ["name", "code", "kind", "territory", "current_status", "since"]
    list_filter = [CurrentStatusFilter, "kind", "in_asia"]
    search_fields = ["name", "acronym", "country"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "country", "acronym", "in_asia"]}),
        (_("Record"), {"fields": ["source", "note"]}),
    ]
    inlines = [StandingChangeInline, ChairmanshipTermInline]

    def get_queryset(self, request):
        # The status column is a subquery of the list query: no query per row.
        return super().get_queryset(request).with_current_status()

    def get_search_results(self, request, queryset, search_term):
        # Also find a state by its alpha-3 code, within the list as filtered so far.
        found, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        if len(search_term.strip()) == 3:
            found |= queryset.filter(Party.objects.code_filter(search_term))
        return found, may_have_duplicates

    @admin.display(description=_("code"))
    def code(self, obj):
        return obj.code

    @admin.display(description=_("territory in Asia"), ordering="in_asia")
    def territory(self, obj):
        if not obj.is_state:
            return "—"
        return _("yes") if obj.in_asia else _("no")

    @admin.display(description=_("status today"), ordering="status")
    def current_status(self, obj):
        return Status(obj.status).label

    @admin.display(description=_("since"), ordering="since")
    def since(self, obj):
        if obj.status == Status.NONE:
            return "—"
        return format_partial(obj.since, obj.since_precision, obj.since_latest)

    def save_formset(self, request, form, formset, change):
        if formset.model is not StandingChange:
            return super().save_formset(request, form, formset, change)
        changed = formset.save(commit=False)
        services.standing_timeline_save(
            party=form.instance,
            changed=changed,
            deleted=formset.deleted_objects,
            actor=request.user,
        )
        return None


class StandingChangeForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            # The change within its party's timeline, as the service will check it.
            for message in services.standing_change_errors(draft_of(self)):
                self.add_error("status", message)
        return cleaned


@admin.register(StandingChange)
class StandingChangeAdmin(ServiceAdmin):
    form = StandingChangeForm
    save_service = staticmethod(services.standing_change_save)
    delete_service = staticmethod(services.standing_change_delete)
    lock_first = "party"  # as standing_change_save does
    list_display = ["party", "status", "when", "short_basis"]
    list_filter = ["status", "precision", "party__kind"]
    ordering = ["party__name", "date"]
    list_select_related = ["party"]
    search_fields = ["party__name", "party__acronym", "basis", "note"]
    autocomplete_fields = ["party"]
    fields = [
        "party",
        "status",
        ("date", "precision", "date_latest"),
        "basis",
        "source",
        "note",
    ]

    when = partial_date_column()

    @admin.display(description=_("basis"))
    def short_basis(self, obj):
        return obj.basis if len(obj.basis) <= 100 else obj.basis[:99] + "…"

    def get_readonly_fields(self, request, obj=None):
        # A change belongs to one party's timeline; to move it, delete and re-add it.
        return ["party"] if obj else []

    def get_actions(self, request):
        # Deleting several changes at once could leave a timeline no rule allows;
        # each deletion is checked on its own page.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        change = self.get_object(request, object_id)
        if change is not None:
            errors = services.standing_deletion_errors(change)
            if errors:
                for error in errors:
                    self.message_user(request, error, messages.ERROR)
                return redirect("admin:registry_standingchange_change", change.pk)
        return super().delete_view(request, object_id, extra_context)


@admin.register(ChairmanshipTerm)
class ChairmanshipTermAdmin(ServiceAdmin):
    save_service = staticmethod(services.chairmanship_term_save)
    list_display = ["party", "period", "extends", "basis"]
    list_select_related = ["party", "extends__party"]
    search_fields = ["party__name", "basis"]
    autocomplete_fields = ["party", "extends"]
    fields = [
        "party",
        ("start", "start_precision", "start_latest"),
        ("planned_end", "planned_end_precision"),
        ("actual_end", "actual_end_precision", "actual_end_latest"),
        "extends",
        "basis",
        "source",
        "note",
    ]

    @admin.display(description=_("period"), ordering="start")
    def period(self, obj):
        return obj.period

    def changelist_view(self, request, extra_context=None):
        # Gaps are allowed but never silent.
        for gap in selectors.chairmanship_gaps():
            message = rules.CHAIR_GAP if gap.end else rules.CHAIR_GAP_SINCE
            values = {"start": gap.start_display, "end": gap.end_display}
            self.message_user(request, message % values, messages.WARNING)
        return super().changelist_view(request, extra_context)


@admin.register(RecordHorizon)
class RecordHorizonAdmin(ServiceAdmin):
    list_display = ["kind", "when", "source"]
    search_fields = ["source", "note"]

    when = partial_date_column()


@admin.register(SeatEvent)
class SeatEventAdmin(ServiceAdmin):
    list_display = ["kind", "city", "country", "when", "basis"]
    list_filter = ["kind"]
    search_fields = ["city", "basis"]

    when = partial_date_column()


class PostHoldingInline(PreloadedAutocompleteMixin, CompactInline):
    model = PostHolding
    fields = [
        "holder_name",
        "nationality",
        "seconded",
        "start",
        "start_precision",
        "end",
        "end_precision",
        "source",
    ]
    autocomplete_fields = ["nationality"]
    extra = 0

    def get_queryset(self, request):
        # Each row prints its holding, which names the post and the nationality.
        return super().get_queryset(request).select_related("post", "nationality")


@admin.register(Post)
class PostAdmin(ServiceAdmin):
    list_display = ["title", "rank"]
    search_fields = ["title"]
    inlines = [PostHoldingInline]


@admin.register(PostHolding)
class PostHoldingAdmin(ServiceAdmin):
    def get_queryset(self, request):
        # Also serves the autocomplete of the post a contribution covers.
        return super().get_queryset(request).select_related("post", "nationality")

    list_display = ["post", "holder", "nationality", "seconded", "start", "end"]
    list_filter = ["post", "seconded"]
    list_select_related = ["post", "nationality"]
    search_fields = ["holder_name", "post__title", "nationality__name"]
    autocomplete_fields = ["post", "nationality"]

    @admin.display(description=_("holder"), ordering="holder_name")
    def holder(self, obj):
        return obj.holder_name or _("(not named in the source)")


@admin.register(PointOfContact)
class PointOfContactAdmin(ServiceAdmin):
    list_display = ["subject", "name", "party", "position"]
    list_filter = ["subject"]
    list_select_related = ["party"]
    search_fields = ["subject", "name", "position", "party__name"]
    autocomplete_fields = ["party"]
