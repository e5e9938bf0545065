"""Bodies and their meetings, delegations, documents and the actions on them, decisions.

Dates use the partial dates of ``cica_admin.core.dates``: a day, a month, a year, an
upper bound or unknown, with the precision stored beside the date.
"""

from django.contrib.humanize.templatetags.humanize import ordinal
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cica_admin.core.dates import (
    Precision,
    check_partial_date,
    check_range,
    format_partial,
    known_by,
    latest_field,
    precision_field,
)
from cica_admin.core.models import SPREADSHEET_PERMISSIONS, tracked_history
from cica_admin.core.security import uploads
from registry.models import ChairmanshipTerm, Party, PartyKind, StandingChange, Status

from . import rules
from .rules import ActionKind, DecisionKind, chair_error

ORDINALS = [
    "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth",
    "Ninth", "Tenth", "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth",
]  # fmt: skip


def ordinal_word(number):
    if number and 0 < number <= len(ORDINALS):
        return ORDINALS[number - 1]
    return str(ordinal(number)) if number else ""  # 21st, 22nd, 23rd, 24th


class Body(models.Model):
    """A body of CICA that meets: the Summit, the Ministerial Meeting, the SOC, ...

    Its cadence is data: ``max_interval_years`` is the most calendar years the rules
    allow between two of its meetings (4 for a Summit "every 4 years"); empty for
    bodies that meet as needed.
    """

    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("Short key, e.g. summit.")
    )
    name = models.CharField(_("name"), max_length=200, unique=True)
    meeting_name = models.CharField(
        _("meeting name"),
        max_length=100,
        help_text=_("Used in titles after the ordinal: “Fourth” + “Summit”."),
    )
    max_interval_years = models.PositiveSmallIntegerField(
        _("meets at least every (years)"),
        null=True,
        blank=True,
        help_text=_(
            "Counted in calendar years: 4 for a Summit every 4 years, 1 for a body "
            "that meets at least once a year. Empty for a body that meets as needed."
        ),
    )
    cadence_rule = models.CharField(
        _("cadence as the rules state it"), max_length=200, blank=True
    )
    cadence_valid_from = models.DateField(
        _("cadence rule in force from"),
        null=True,
        blank=True,
        help_text=_(
            "When the document that set the rule was adopted. Only the intervals that "
            "begin on or after it are judged by the rule. Empty: the sources do not "
            "say, and every interval is judged."
        ),
    )
    cadence_valid_from_precision = precision_field(_("precision"))
    cadence_basis = models.CharField(
        _("rule set by"),
        max_length=300,
        blank=True,
        help_text=_("The document that set the rule, e.g. Rules of Procedure (2004)."),
    )
    meetings_incomplete = models.BooleanField(
        _("record of its meetings known to be incomplete"),
        default=False,
        help_text=_(
            "Tick when the sources show that the body met more often than the "
            "meetings recorded. Its cadence is then reported as “record incomplete”, "
            "never as broken or overdue."
        ),
    )
    meetings_incomplete_reason = models.CharField(
        _("why the record is incomplete"), max_length=300, blank=True
    )
    rank = models.PositiveSmallIntegerField(_("rank"), default=100)
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        default_permissions = SPREADSHEET_PERMISSIONS
        ordering = ["rank", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    def clean(self):
        check_partial_date(
            self.cadence_valid_from,
            self.cadence_valid_from_precision,
            "cadence_valid_from",
            optional=True,
        )
        if self.meetings_incomplete and not self.meetings_incomplete_reason.strip():
            raise ValidationError(
                {"meetings_incomplete_reason": rules.INCOMPLETE_NEEDS_REASON}
            )

    @property
    def cadence_judged_from(self):
        """The first day certainly under the rule (None: every interval is judged)."""
        return known_by(self.cadence_valid_from, self.cadence_valid_from_precision)


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class MeetingQuerySet(models.QuerySet):
    def held(self):
        return self.filter(status=MeetingStatus.HELD)


class Meeting(models.Model):
    """A meeting of a body, ``start`` to ``end`` inclusive (``end`` empty: one day)."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("body")
    )
    ordinal = models.PositiveSmallIntegerField(
        _("ordinal"), null=True, blank=True, help_text=_("4 for the Fourth Summit.")
    )
    title = models.CharField(
        _("title"),
        max_length=300,
        blank=True,
        help_text=_(
            "Leave empty to use the ordinal and the body's meeting name, e.g. "
            "Fourth Summit."
        ),
    )
    start = models.DateField(_("start"))
    start_precision = precision_field(_("start precision"))
    end = models.DateField(
        _("end"),
        null=True,
        blank=True,
        help_text=_("Last day, inclusive. Empty for a one-day meeting."),
    )
    end_precision = precision_field(_("end precision"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    host_country = CountryField(_("host country"), blank=True)
    chairs = models.ManyToManyField(
        Party,
        through="MeetingChair",
        related_name="chaired_meetings",
        verbose_name=_("chairs"),
        blank=True,
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MeetingStatus.choices,
        default=MeetingStatus.PLANNED,
    )
    attendance_complete = models.BooleanField(
        _("attendance list complete"),
        default=False,
        help_text=_(
            "Tick only when the delegations recorded are everyone who attended. "
            "The meeting report then names the members absent; otherwise it says "
            "they cannot be named."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = tracked_history()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        default_permissions = SPREADSHEET_PERMISSIONS
        ordering = ["start", "body__rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "ordinal"],
                condition=Q(ordinal__isnull=False),
                name="meeting_unique_ordinal_per_body",
                violation_error_message=_(
                    "This body already has a meeting with this ordinal."
                ),
            ),
            models.UniqueConstraint(
                fields=["body", "start"],
                name="meeting_unique_start_per_body",
                violation_error_message=_(
                    "This body already has a meeting on this date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="meeting_end_not_before_start",
                violation_error_message=rules.END_BEFORE_START,
            ),
        ]

    def __str__(self):
        return f"{self.display_title} ({self.when})"

    @property
    def display_title(self):
        if self.title:
            return self.title
        return f"{ordinal_word(self.ordinal)} {self.body.meeting_name}".strip()

    @property
    def when(self):
        start = format_partial(self.start, self.start_precision)
        if self.end is None or self.end == self.start:
            return start
        end = format_partial(self.end, self.end_precision)
        both_days = self.start_precision == self.end_precision == Precision.DAY
        if both_days and (self.start.year, self.start.month) == (
            self.end.year,
            self.end.month,
        ):
            return f"{self.start.day}-{end}"
        return f"{start} – {end}"

    def clean(self):
        check_partial_date(self.start, self.start_precision, "start")
        check_partial_date(self.end, self.end_precision, "end", optional=True)
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": rules.END_BEFORE_START})
        if (
            self.status == MeetingStatus.HELD
            and self.start
            and self.start > timezone.localdate()
        ):
            raise ValidationError({"status": rules.HELD_IN_FUTURE})


class ChairRole(models.TextChoices):
    CHAIR = "chair", _("chair")
    CO_CHAIR = "co_chair", _("co-chair")


class MeetingChair(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="chair_roles"
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="meeting_chair_roles",
        verbose_name=_("state"),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=ChairRole.choices, default=ChairRole.CHAIR
    )
    person = models.CharField(_("chaired by"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("chair of a meeting")
        verbose_name_plural = _("chairs of meetings")
        default_permissions = SPREADSHEET_PERMISSIONS
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "party"],
                name="meeting_chair_unique",
                violation_error_message=rules.ONE_CHAIR_ROLE_PER_PARTY,
            )
        ]

    def __str__(self):
        return f"{self.party} ({self.get_role_display()})"

    def clean(self):
        # On a new meeting's page the meeting is not saved yet: the inline formset
        # runs the same check against the meeting as typed (admin.ChairFormSet).
        if self.meeting_id is None or self.party_id is None:
            return
        message = chair_error(self.party, self.meeting)
        if message:
            raise ValidationError({"party": message})


class Category(models.TextChoices):
    MEMBER = "member", _("member")
    OBSERVER = "observer", _("observer")
    GUEST = "guest", _("guest")


# Members and observers on a meeting's first day attend as such, a suspended member
# as a member (it is still one; reports mark it); anyone else as a guest.
CATEGORY_OF_STATUS = {
    Status.MEMBER: Category.MEMBER,
    Status.SUSPENDED: Category.MEMBER,
    Status.OBSERVER: Category.OBSERVER,
}


class Level(models.TextChoices):
    HEAD_OF_STATE = "head_of_state", _("head of state")
    HEAD_OF_GOVERNMENT = "head_of_government", _("head of government")
    VICE_PRESIDENT = "vice_president", _("vice-president")
    SPEAKER = "speaker", _("speaker of parliament")
    DEPUTY_PRIME_MINISTER = "deputy_prime_minister", _("deputy prime minister")
    MINISTER = "minister", _("minister")
    SPECIAL_ENVOY = "special_envoy", _("special envoy")
    DEPUTY_MINISTER = "deputy_minister", _("deputy minister")
    AMBASSADOR = "ambassador", _("ambassador")
    AUTHORIZED_OFFICIAL = "authorized_official", _("authorized official")
    OTHER = "other", _("other")
    UNKNOWN = "unknown", _("not recorded")


class DelegationQuerySet(models.QuerySet):
    def with_category(self):
        """Annotate ``category`` from the standing timeline on the meeting's first day.

        Members and observers on that day are members and observers, a suspended
        member a member (``standing`` says it is suspended); anyone else attends as a
        guest. One subquery, whatever the number of delegations.
        """
        status = StandingChange.objects.status_subquery(
            party=OuterRef("party"), on=OuterRef("meeting__start")
        )
        pending = StandingChange.objects.filter(party=OuterRef("party")).uncertain_on(
            OuterRef("meeting__start")
        )
        return self.annotate(
            standing=status, standing_uncertain=Exists(pending)
        ).annotate(
            category=Case(
                *(
                    When(standing=status, then=Value(category))
                    for status, category in CATEGORY_OF_STATUS.items()
                ),
                default=Value(Category.GUEST),
            )
        )


#: The source of a delegation the pre-fill added (services.delegations_prefill). A
#: clerk confirms the delegation by replacing it with where its attendance is recorded.
PREFILL_SOURCE = "pre-filled from the roster of the meeting date"


class Delegation(models.Model):
    """A party's delegation at a meeting. Its category is never typed: it is what the
    standing timeline says on the meeting's first day (see ``with_category``)."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="delegations",
        verbose_name=_("meeting"),
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="delegations",
        verbose_name=_("party"),
    )
    level = models.CharField(
        _("level of representation"),
        max_length=24,
        choices=Level.choices,
        default=Level.UNKNOWN,
    )
    head_name = models.CharField(_("head of delegation"), max_length=200, blank=True)
    head_title = models.CharField(_("title of the head"), max_length=300, blank=True)
    present = models.BooleanField(
        _("present"),
        default=True,
        help_text=_("Untick for a delegation that excused itself."),
    )
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = tracked_history()

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        default_permissions = SPREADSHEET_PERMISSIONS
        ordering = ["meeting__start", "party__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "party"],
                name="delegation_one_per_party_per_meeting",
                violation_error_message=rules.ONE_DELEGATION_PER_PARTY,
            )
        ]

    def __str__(self):
        return f"{self.party} at {self.meeting.display_title}"

    @property
    def unchecked_prefill(self):
        """Added by the pre-fill and not confirmed since: whether it attended is not
        established."""
        return self.source == PREFILL_SOURCE

    @property
    def suspended_member(self):
        """A member suspended on the meeting's first day (``with_category()``
        annotates its ``standing``): it attends as a member, marked suspended."""
        return getattr(self, "standing", None) == Status.SUSPENDED

    @property
    def category_on_meeting_date(self):
        """For a single delegation; lists use ``with_category()``."""
        if hasattr(self, "category"):
            return self.category
        status = self.party.status_on(self.meeting.start)
        return CATEGORY_OF_STATUS.get(status, Category.GUEST)


class FigureGroup(models.TextChoices):
    MEMBER_STATES = "member_states", _("member states")
    OBSERVER_STATES = "observer_states", _("observer states")
    ORGANIZATIONS = "organizations", _("international organizations")
    STATES_AND_ORGANIZATIONS = "states_and_organizations", _("states and organizations")
    OTHER = "other", _("other")


class ReportedFigure(models.Model):
    """Attendance as a source reports it in numbers only ("19 Member States")."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="reported_figures",
        verbose_name=_("meeting"),
    )
    group = models.CharField(_("group"), max_length=26, choices=FigureGroup.choices)
    count = models.PositiveIntegerField(_("number"))
    wording = models.CharField(
        _("as the source words it"),
        max_length=300,
        help_text=_("e.g. “7 observer countries”"),
    )
    source = models.CharField(_("source"), max_length=200)
    history = tracked_history()

    class Meta:
        verbose_name = _("reported attendance figure")
        verbose_name_plural = _("reported attendance figures")
        default_permissions = SPREADSHEET_PERMISSIONS
        ordering = ["meeting", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "wording"], name="reported_figure_unique"
            )
        ]

    def __str__(self):
        return f"{self.count} {self.get_group_display()} (reported)"


class DocumentKind(models.TextChoices):
    DECLARATION = "declaration", _("declaration")
    ACT = "act", _("act")
    CATALOGUE = "catalogue", _("catalogue")
    RULES_OF_PROCEDURE = "rules_of_procedure", _("rules of procedure")
    STATUTE = "statute", _("statute")
    PROTOCOL = "protocol", _("protocol")
    CONVENTION = "convention", _("convention")
    AGREEMENT = "agreement", _("agreement")
    MEMORANDUM = "memorandum", _("memorandum of understanding")
    GUIDELINES = "guidelines", _("guidelines")
    REGULATION = "regulation", _("regulation")
    DECISION = "decision", _("decision")
    ACTION_PLAN = "action_plan", _("action plan")
    OTHER = "other", _("other")


class Document(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=400)
    adopted_at = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("adopted or signed at"),
    )
    date = models.DateField(_("adopted or signed on"), null=True, blank=True)
    precision = precision_field(_("date precision"), with_range=True)
    date_latest = latest_field()
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("amends"),
    )
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    counterpart = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memoranda",
        limit_choices_to={"kind": PartyKind.ORGANIZATION},
        error_messages={"invalid": rules.COUNTERPART_NOT_ORGANIZATION},
        verbose_name=_("counterpart organization"),
        help_text=_("For a memorandum of understanding with another organization."),
    )
    file = models.FileField(
        _("file"),
        upload_to="documents/%Y/",
        blank=True,
        validators=[uploads.validate_document_size, uploads.validate_document_type],
        help_text=uploads.DOCUMENT_FILE_HELP,
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        default_permissions = SPREADSHEET_PERMISSIONS
        ordering = ["date", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "title"],
                name="document_unique_kind_title",
                violation_error_message=_("A document of this kind and title exists."),
            ),
            models.CheckConstraint(
                condition=~Q(amends=models.F("id")) & ~Q(supersedes=models.F("id")),
                name="document_does_not_amend_itself",
                violation_error_message=rules.AMENDS_ITSELF,
            ),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.kind, self.title)

    @property
    def when(self):
        if self.date is None:
            return self.adopted_at.when if self.adopted_at_id else "—"
        return format_partial(self.date, self.precision, self.date_latest)

    def clean(self):
        check_partial_date(self.date, self.precision, "date", optional=True)
        check_range(self.date, self.precision, self.date_latest, "date_latest")
        for field in ("amends", "supersedes"):
            self._check_chain(field)

    def _check_chain(self, field):
        """Refuse a document that, through what it amends or supersedes, reaches
        itself. Both relations count: A amends B, B supersedes A is a cycle too."""
        target = getattr(self, field)
        if target is None:
            return
        if self.pk and target.pk == self.pk:
            raise ValidationError({field: rules.AMENDS_ITSELF})
        if self.pk is None:
            return  # nothing can point at a document not yet saved
        path_to = {target.pk: [self, target]}
        frontier = [target]
        while frontier:
            current = frontier.pop()
            for following in (current.amends, current.supersedes):
                if following is None or following.pk in path_to:
                    continue
                path = [*path_to[current.pk], following]
                if following.pk == self.pk:
                    names = " → ".join(str(document) for document in path)
                    raise ValidationError(
                        {field: rules.AMENDMENT_CYCLE % {"chain": names}}
                    )
                path_to[following.pk] = path
                frontier.append(following)


class DocumentAction(models.Model):
    """What a party did with a document, and when."""

    document = models.ForeignKey(
        Document,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("document"),
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="document_actions",
        verbose_name=_("party"),
    )
    action = models.CharField(_("action"), max_length=20, choices=ActionKind.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    precision = precision_field()
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="document_actions",
        verbose_name=_("at meeting"),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("action on a document")
        verbose_name_plural = _("actions on documents")
        default_permissions = SPREADSHEET_PERMISSIONS
        ordering = ["document", "party__name", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "party", "action"],
                name="document_action_unique",
                violation_error_message=rules.ONE_ACTION_PER_PARTY,
            )
        ]

    def __str__(self):
        action = self.get_action_display()
        return f"{self.party}: {action} of {self.document} ({self.when})"

    @property
    def when(self):
        return format_partial(self.date, self.precision)

    def clean(self):
        check_partial_date(self.date, self.precision, "date", optional=True)
        # The order of a party's actions on a document is checked by the service
        # (services.document_action_errors) or, on the document's page, by the
        # formset over the rows as edited.


class Procedure(models.TextChoices):
    MEETING = "meeting", _("at a meeting")
    SILENCE = "silence", _("silence procedure")
    OTHER = "other", _("other or not recorded")


class Decision(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=DecisionKind.choices)
    procedure = models.CharField(
        _("procedure"),
        max_length=8,
        choices=Procedure.choices,
        default=Procedure.MEETING,
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("meeting"),
    )
    date = models.DateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_(
            "For a silence procedure, the deadline; else the date if not the meeting's."
        ),
    )
    precision = precision_field()
    text = models.TextField(_("text"))
    standing_changes = models.ManyToManyField(
        StandingChange,
        blank=True,
        related_name="decisions",
        verbose_name=_("changes of standing it caused"),
    )
    chairmanship_terms = models.ManyToManyField(
        ChairmanshipTerm,
        blank=True,
        related_name="decisions",
        verbose_name=_("chairmanship terms it concerns"),
    )
    documents = models.ManyToManyField(
        Document,
        blank=True,
        related_name="decisions",
        verbose_name=_("documents it concerns"),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = tracked_history(
        m2m_fields=[standing_changes, chairmanship_terms, documents]
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        default_permissions = SPREADSHEET_PERMISSIONS
        ordering = ["date", "pk"]

    def __str__(self):
        text = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        return f"{text} ({self.when})"

    @property
    def when(self):
        if self.date:
            return format_partial(self.date, self.precision)
        return self.meeting.when if self.meeting_id else "—"

    def clean(self):
        check_partial_date(self.date, self.precision, "date", optional=True)
        if self.procedure == Procedure.MEETING and not self.meeting_id:
            raise ValidationError({"meeting": rules.DECISION_AT_MEETING_NEEDS_MEETING})
        if self.procedure == Procedure.SILENCE:
            if self.meeting_id:
                raise ValidationError({"meeting": rules.SILENCE_HAS_NO_MEETING})
            if not self.date:
                raise ValidationError({"date": rules.SILENCE_NEEDS_DEADLINE})
