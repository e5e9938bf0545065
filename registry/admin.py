from django import forms
from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cica_admin.admin_widgets import PreloadedAutocompleteMixin

from . import rules, selectors, services
from .dates import format_partial
from .models import (
    ChairmanshipTerm,
    Party,
    PointOfContact,
    Post,
    PostHolding,
    SeatEvent,
    StandingChange,
    Status,
)


class ServiceAdmin(SimpleHistoryAdmin):
    """Saves through the registry services, so the admin obeys the same rules."""

    save_service = staticmethod(services.record_save)

    def save_model(self, request, obj, form, change):
        self.save_service(obj, actor=request.user)


class StandingTimelineFormSet(BaseInlineFormSet):
    """Validates the party's timeline as a whole, as the clerk has edited it.

    Each row is checked in the context of the other rows on the page, not of the rows
    as they stand in the database, so a clerk can correct two rows in one save.
    """

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
        by_instance = {id(form.instance): form for form in self.forms}
        for change, message in rules.timeline_errors(self.instance, kept):
            by_instance[id(change)].add_error("status", message)


class StandingChangeInlineForm(forms.ModelForm):
    def _post_clean(self):
        # The formset checks the timeline as a whole; the row checks its own date.
        self.instance.timeline_checked_elsewhere = True
        super()._post_clean()


class StandingChangeInline(admin.TabularInline):
    model = StandingChange
    form = StandingChangeInlineForm
    formset = StandingTimelineFormSet
    fields = ["status", "date", "precision", "basis", "source", "note"]
    extra = 1

    def get_queryset(self, request):
        # Each row prints its change, which names the party.
        return super().get_queryset(request).select_related("party")


class ChairmanshipTermInline(admin.TabularInline):
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
    list_display = ["name", "code", "kind", "in_asia", "current_status", "since"]
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
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        if len(search_term.strip()) == 3:
            queryset |= self.get_queryset(request).filter(
                Party.objects.code_filter(search_term)
            )
        return queryset, may_have_duplicates

    @admin.display(description=_("code"))
    def code(self, obj):
        return obj.code

    @admin.display(description=_("status today"), ordering="status")
    def current_status(self, obj):
        return Status(obj.status).label

    @admin.display(description=_("since"), ordering="since")
    def since(self, obj):
        return format_partial(obj.since, obj.since_precision) if obj.since else "—"

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


@admin.register(StandingChange)
class StandingChangeAdmin(ServiceAdmin):
    save_service = staticmethod(services.standing_change_save)
    list_display = ["party", "status", "when", "basis", "source"]
    list_filter = ["status", "precision", "party__kind"]
    list_select_related = ["party"]
    search_fields = ["party__name", "party__acronym", "basis", "note"]
    autocomplete_fields = ["party"]
    fields = ["party", "status", "date", "precision", "basis", "source", "note"]

    @admin.display(description=_("date"), ordering="date")
    def when(self, obj):
        return obj.when

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

    def delete_model(self, request, obj):
        services.standing_change_delete(change=obj, actor=request.user)


@admin.register(ChairmanshipTerm)
class ChairmanshipTermAdmin(ServiceAdmin):
    save_service = staticmethod(services.chairmanship_term_save)
    list_display = ["party", "period", "extends", "basis"]
    list_select_related = ["party", "extends__party"]
    search_fields = ["party__name", "basis"]
    autocomplete_fields = ["party", "extends"]
    fields = [
        "party",
        ("start", "start_precision"),
        ("planned_end", "planned_end_precision"),
        ("actual_end", "actual_end_precision"),
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
            self.message_user(
                request,
                _("No chair is recorded from %(start)s to %(end)s.")
                % {"start": gap.start, "end": gap.end},
                messages.WARNING,
            )
        chair = selectors.chair_on(timezone.localdate())
        extra_context = {**(extra_context or {}), "chair_today": chair}
        return super().changelist_view(request, extra_context)


@admin.register(SeatEvent)
class SeatEventAdmin(ServiceAdmin):
    list_display = ["kind", "city", "country", "when", "basis"]
    list_filter = ["kind"]
    search_fields = ["city", "basis"]

    @admin.display(description=_("date"), ordering="date")
    def when(self, obj):
        return obj.when


class PostHoldingInline(PreloadedAutocompleteMixin, admin.TabularInline):
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
