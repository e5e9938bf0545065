from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.db.models import CharField, Count, FileField, Q, TextField
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cica_admin.core.admin import (
    CompactInline,
    PreloadedAutocompleteMixin,
    PreloadedRelationsForm,
    ServiceAdmin,
    differs_from_stored,
    draft_of,
    partial_date_column,
)
from cica_admin.core.security import uploads
from registry import services as registry_services
from registry.models import Party

from . import rules, selectors, services
from .models import (
    Body,
    Category,
    Decision,
    Delegation,
    Document,
    DocumentAction,
    Meeting,
    MeetingChair,
    ReportedFigure,
)
from .rules import chair_error


@admin.register(Body)
class BodyAdmin(ServiceAdmin):
    # The import-export mixin puts its own change-list template in place of the
    # one Django would find for this model: name ours, which adds the Cadence button
    # beside Import and Export.
    import_export_change_list_template = "admin/meetings/body/change_list.html"
    list_display = [
        "name",
        "code",
        "max_interval_years",
        "cadence_rule",
        "cadence_basis",
        "meetings_incomplete",
    ]
    list_editable = ["max_interval_years"]
    search_fields = ["name", "code"]
    fields = [
        "code",
        "name",
        "meeting_name",
        "max_interval_years",
        "cadence_rule",
        ("cadence_valid_from", "cadence_valid_from_precision"),
        "cadence_basis",
        ("meetings_incomplete", "meetings_incomplete_reason"),
        "rank",
        "source",
    ]

    def get_urls(self):
        cadence = self.admin_site.admin_view(self.cadence_view)
        return [
            path("cadence/", cadence, name="meetings_body_cadence"),
            *super().get_urls(),
        ]

    def cadence_view(self, request):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Cadence of meetings"),
            "opts": self.opts,
            "report": selectors.cadence_report(),
        }
        return TemplateResponse(request, "admin/meetings/cadence.html", context)


@admin.display(description=_("category on the meeting date"))
def category_column(admin_instance, obj):
    """The category annotated by ``Delegation.objects.with_category()``."""
    category = getattr(obj, "category", None)
    if not category:
        return "—"
    if getattr(obj, "standing_uncertain", False):
        return _("%(category)s (standing uncertain on this date)") % {
            "category": Category(category).label
        }
    if obj.suspended_member:
        return _("%(category)s (suspended on this date)") % {
            "category": Category(category).label
        }
    return Category(category).label


class ChairFormSet(BaseInlineFormSet):
    """Checks each chair against the meeting as typed, saved or not."""

    def clean(self):
        super().clean()
        for form in self.forms:
            party = form.cleaned_data.get("party") if form.cleaned_data else None
            if party is None or self._should_delete_form(form):
                continue
            message = chair_error(party, self.instance)
            if message:
                form.add_error("party", message)


class MeetingChairInline(CompactInline):
    model = MeetingChair
    formset = ChairFormSet
    fields = ["party", "role", "person", "source"]
    autocomplete_fields = ["party"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("party", "meeting__body")


class DelegationFormSet(BaseInlineFormSet):
    def get_unique_error_message(self, unique_check):
        if set(unique_check) == {"meeting", "party"}:
            return str(rules.ONE_DELEGATION_PER_PARTY)
        return super().get_unique_error_message(unique_check)


class DelegationInline(PreloadedAutocompleteMixin, CompactInline):
    model = Delegation
    formset = DelegationFormSet
    fields = [
        "party",
        "category",
        "level",
        "head_name",
        "head_title",
        "present",
        "note",
        "source",
    ]
    readonly_fields = ["category"]
    autocomplete_fields = ["party"]
    extra = 0
    # Eight columns that fit a 1,366 px laptop window (the meeting page was 1,560 px
    # wide): narrower boxes than other inlines; longer text scrolls inside its box.
    formfield_overrides = {
        TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 14})},
        CharField: {"widget": forms.TextInput(attrs={"size": 12})},
    }

    def get_queryset(self, request):
        # The category and each row's label come with the rows: no query per row.
        return (
            super()
            .get_queryset(request)
            .with_category()
            .select_related("party", "meeting__body")
        )

    category = category_column


class ReportedFigureInline(CompactInline):
    model = ReportedFigure
    fields = ["count", "group", "wording", "source"]
    extra = 0


class ReadOnlyListInline(CompactInline):
    """Records that belong to a meeting but are edited on their own pages."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AdoptedDocumentInline(ReadOnlyListInline):
    model = Document
    fk_name = "adopted_at"
    fields = ["title", "kind", "when"]
    readonly_fields = fields
    verbose_name_plural = _("documents adopted or signed at the meeting")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("adopted_at__body")


class DecisionInline(ReadOnlyListInline):
    model = Decision
    fields = ["kind", "procedure", "text"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting__body")


@admin.register(Meeting)
class MeetingAdmin(ServiceAdmin):
    list_display = [
        "display_title",
        "body",
        "when",
        "city",
        "host_country",
        "status",
        "delegation_count",
    ]
    list_filter = ["body", "status"]
    list_select_related = ["body"]
    search_fields = ["title", "city", "body__name", "notes"]
    search_help_text = _(
        "Title, city, body or notes; or as a meeting is called: “Sixth Summit”, "
        "“summit 6”, “Astana 2022”."
    )
    date_hierarchy = "start"
    fieldsets = [
        (None, {"fields": ["body", "ordinal", "title", "status"]}),
        (
            _("When and where"),
            {
                "fields": [
                    ("start", "start_precision"),
                    ("end", "end_precision"),
                    "city",
                    "host_country",
                ]
            },
        ),
        (_("Record"), {"fields": ["attendance_complete", "notes", "source"]}),
    ]
    inlines = [
        MeetingChairInline,
        DelegationInline,
        ReportedFigureInline,
        AdoptedDocumentInline,
        DecisionInline,
    ]
    actions = ["prefill_delegations"]

    def get_search_results(self, request, queryset, search_term):
        """Also as a meeting is called (the list's search and every meeting
        autocomplete): a numbered meeting has no title to match."""
        found, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        named = selectors.meetings_named(search_term)
        if named is not None:
            found = queryset.filter(Q(pk__in=found.values("pk")) | named)
        return found, may_have_duplicates

    # Stated, not left to Meta: the delegation count groups the query, and a grouped
    # query drops Meta.ordering, which left the meeting autocomplete unordered. Newest
    # first, in the list and the autocomplete: a clerk works on the latest meetings
    # (the model's own order, oldest first, serves reports and exports).
    ordering = ["-start", "body__rank", "pk"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(delegation_count=Count("delegations", distinct=True))
        )

    @admin.display(description=_("title"), ordering="start")
    def display_title(self, obj):
        return obj.display_title

    when = partial_date_column(_("dates"), ordering="start")

    @admin.display(description=_("delegations"), ordering="delegation_count")
    def delegation_count(self, obj):
        return obj.delegation_count

    def has_add_delegation_permission(self, request):
        return request.user.has_perm("meetings.add_delegation")

    @admin.action(
        description=_("Add every member and observer on the meeting date"),
        permissions=["add_delegation"],
    )
    def prefill_delegations(self, request, queryset):
        for meeting in queryset.select_related("body"):
            title = meeting.display_title
            try:
                added = services.delegations_prefill(
                    meeting=meeting, actor=request.user
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                continue
            if added:
                message = ngettext(
                    "%(meeting)s: %(count)d delegation added; check who attended.",
                    "%(meeting)s: %(count)d delegations added; check who attended.",
                    len(added),
                ) % {"meeting": title, "count": len(added)}
                self.message_user(request, message, messages.SUCCESS)
            else:
                message = rules.PREFILL_NOTHING % {"meeting": title}
                self.message_user(request, message, messages.INFO)
            uncertain = services.prefill_uncertain(meeting)
            if uncertain:
                names = ", ".join(str(party) for party in uncertain)
                message = rules.PREFILL_UNCERTAIN % {"meeting": title, "parties": names}
                self.message_user(request, message, messages.WARNING)


@admin.register(Delegation)
class DelegationAdmin(ServiceAdmin):
    list_display = ["party", "meeting", "category", "level", "head_name", "present"]
    list_filter = ["meeting__body", "level", "present"]
    list_select_related = ["party", "meeting__body"]
    search_fields = ["party__name", "head_name", "meeting__title"]
    autocomplete_fields = ["meeting", "party"]
    readonly_fields = ["category"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_category()

    category = category_column


@admin.register(ReportedFigure)
class ReportedFigureAdmin(ServiceAdmin):
    list_display = ["meeting", "count", "group", "wording"]
    list_filter = ["group"]
    list_select_related = ["meeting__body"]
    search_fields = ["wording", "meeting__title"]
    autocomplete_fields = ["meeting"]


@admin.register(MeetingChair)
class MeetingChairAdmin(ServiceAdmin):
    list_display = ["meeting", "party", "role", "person"]
    list_select_related = ["meeting__body", "party"]
    autocomplete_fields = ["meeting", "party"]
    search_fields = ["party__name", "person"]


class ActionOrderFormSet(BaseInlineFormSet):
    """Checks signatures against ratifications among the rows on the page, and any
    stored action the page does not show."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        forms_by_action = {}
        deleted = []
        for form in self.forms:
            if not form.cleaned_data:
                continue
            if self._should_delete_form(form):
                if form.instance.pk:
                    deleted.append(form.instance)
                continue
            forms_by_action[id(form.instance)] = form
        kept = [form.instance for form in forms_by_action.values()]
        errors = services.document_actions_errors(
            self.instance, kept=kept, deleted=deleted
        )
        for action, message in errors:
            form = forms_by_action.get(id(action))
            if form is None:  # a stored action the page does not show
                raise forms.ValidationError(message)
            form.add_error("date", message)


class DocumentActionInline(PreloadedAutocompleteMixin, CompactInline):
    model = DocumentAction
    form = PreloadedRelationsForm
    formset = ActionOrderFormSet
    fields = ["party", "action", "date", "precision", "meeting", "source", "note"]
    autocomplete_fields = ["party", "meeting"]
    extra = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("party", "document", "meeting__body")
        )


@admin.register(Document)
class DocumentAdmin(ServiceAdmin):
    list_display = ["title", "kind", "when", "adopted_at"]
    list_filter = ["kind"]
    list_select_related = ["adopted_at__body"]
    search_fields = ["title", "note"]
    autocomplete_fields = ["adopted_at", "amends", "supersedes", "counterpart"]
    readonly_fields = ["status_matrix"]
    # The browser's file picker offers the accepted kinds only; the server checks.
    formfield_overrides = {
        FileField: {"widget": AdminFileWidget(attrs={"accept": uploads.ACCEPTED})}
    }
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "kind",
                    "title",
                    "adopted_at",
                    ("date", "precision", "date_latest"),
                ]
            },
        ),
        (_("Relations"), {"fields": ["amends", "supersedes", "counterpart"]}),
        (_("Record"), {"fields": ["file", "source", "note"]}),
        (_("Signatures and ratifications today"), {"fields": ["status_matrix"]}),
    ]
    inlines = [DocumentActionInline]
    # A document dated only by its meeting sorts by the meeting's date.
    ordering = [Coalesce("date", "adopted_at__start").asc(nulls_last=True), "title"]

    when = partial_date_column()

    @admin.display(description=_("status by party"))
    def status_matrix(self, obj):
        if obj.pk is None:
            return "—"
        rows = selectors.document_status_matrix(obj)
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    row.party,
                    row.state,
                    row.actions["signature"].when if "signature" in row.actions else "",
                    row.actions["ratification"].when
                    if "ratification" in row.actions
                    else "",
                )
                for row in rows
            ),
        )
        return format_html(
            '<table class="status-matrix"><thead><tr><th>{}</th><th>{}</th><th>{}</th>'
            "<th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("party"),
            _("status"),
            _("signed"),
            _("ratified"),
            body,
        )

    def save_formset(self, request, form, formset, change):
        # The actions on the page are checked together, as the formset did.
        changed = formset.save(commit=False)
        services.document_actions_save(
            document=form.instance,
            changed=changed,
            deleted=formset.deleted_objects,
            actor=request.user,
        )


class DocumentActionForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            # The action beside the party's others, as the service will check it.
            for message in services.document_action_errors(draft_of(self)):
                self.add_error("date", message)
        return cleaned


@admin.register(DocumentAction)
class DocumentActionAdmin(ServiceAdmin):
    form = DocumentActionForm
    save_service = staticmethod(services.document_action_save)
    lock_first = "document"  # as document_action_save does
    list_display = ["document", "party", "action", "when", "meeting"]
    list_filter = ["action"]
    list_select_related = ["document", "party", "meeting__body"]
    search_fields = ["document__title", "party__name"]
    autocomplete_fields = ["document", "party", "meeting"]

    when = partial_date_column()


class DecisionForm(forms.ModelForm):
    parties = forms.ModelMultipleChoiceField(
        Party.objects.all(),
        required=False,
        label=_("Parties admitted or granted observer status"),
        help_text=_(
            "For an admission or an observer status: the change of standing of each is "
            "recorded with the decision."
        ),
    )

    class Meta:
        model = Decision
        fields = [
            "kind",
            "procedure",
            "meeting",
            "date",
            "precision",
            "text",
            "standing_changes",
            "chairmanship_terms",
            "documents",
            "source",
            "note",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        parties = list(cleaned.get("parties") or [])
        kind = cleaned.get("kind")
        error = rules.decision_parties_error(
            kind,
            is_new=self.instance.pk is None,
            parties=parties,
            standing_changes=cleaned.get("standing_changes"),
        )
        if error:
            self.add_error("parties", error)
            return cleaned
        draft = Decision(
            kind=kind,
            meeting=cleaned.get("meeting"),
            date=cleaned.get("date"),
            precision=cleaned.get("precision"),
            text=cleaned.get("text", ""),
        )
        for party in parties:
            try:
                registry_services.standing_change_check(
                    services.standing_change_for_decision(draft, party)
                )
            except forms.ValidationError as error:
                self.add_error("parties", error.messages)
        return cleaned


@admin.register(Decision)
class DecisionAdmin(ServiceAdmin):
    form = DecisionForm
    save_service = staticmethod(services.decision_save)
    list_display = ["kind", "procedure", "when", "short_text", "meeting"]
    list_filter = ["kind", "procedure"]
    list_select_related = ["meeting__body"]
    search_fields = ["text", "note"]
    # A decision dated only by its meeting sorts by the meeting's date.
    ordering = [Coalesce("date", "meeting__start").asc(nulls_last=True), "pk"]
    autocomplete_fields = [
        "meeting",
        "standing_changes",
        "chairmanship_terms",
        "documents",
    ]

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "parties"]
        # The parties are asked only when the decision is first recorded; afterwards
        # the changes it caused are listed among the changes of standing.
        return ["parties", *fields] if obj is None else fields

    when = partial_date_column()

    @admin.display(description=_("text"))
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 90 else obj.text[:89] + "…"

    def save_model(self, request, obj, form, change):
        if change and not differs_from_stored(obj):
            return  # its links, if changed, are saved with the others
        services.decision_save(
            obj,
            parties=[] if change else form.cleaned_data["parties"],
            standing_changes=form.cleaned_data["standing_changes"],
            actor=request.user,
            reason=self.change_reason(form),
        )

    def save_related(self, request, form, formsets, change):
        if not change:
            # A new decision's changes of standing were set by the service with the
            # ones it caused; the form would set them again without those.
            del form.cleaned_data["standing_changes"]
        super().save_related(request, form, formsets, change)
