"""Parties to CICA and their standing over time; chairmanship; the Secretariat.

Intervals in this module are half-open: a term runs from its start (inclusive) to its
end (exclusive), and an empty end means "not ended, or not known to have ended".
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField

from cica_admin.core.dates import (
    Precision,
    check_partial_date,
    check_range,
    format_partial,
    known_by,
    latest_field,
    on_partial,
    precision_field,
)
from cica_admin.core.models import SPREADSHEET_PERMISSIONS, tracked_history

from . import rules
from .constraints import DateRange, PostgresExclusionConstraint
from .rules import Status


def launch_date():
    return datetime.date.fromisoformat(settings.CICA_LAUNCH_DATE)


class PartyKind(models.TextChoices):
    STATE = "state", _("state")
    ORGANIZATION = "organization", _("international organization")


class StandingChangeQuerySet(models.QuerySet):
    def known_by(self, day):
        """Changes certainly in effect on ``day`` (see ``cica_admin.core.dates``)."""
        return self.filter(known_from__lte=day)

    def latest_first(self):
        """Latest by the date entered; ties (a year and a day in it) by known-by day."""
        return self.order_by(F("date").desc(nulls_last=True), "-known_from")

    def uncertain_on(self, day):
        """Changes that may or may not have happened by ``day``.

        An undated change comes first in its party's timeline, so it stops mattering
        once a dated change of the same party is known by ``day``.
        """
        # When ``day`` is itself an outer reference (a meeting's date), it lies one
        # level further out from this inner query.
        inner_day = OuterRef(day) if isinstance(day, OuterRef) else day
        dated_known = StandingChange.objects.filter(
            party=OuterRef("party"), known_from__lte=inner_day
        )
        undated = Q(known_from__isnull=True) & ~Exists(dated_known)
        return self.filter(
            undated
            | Q(known_from__gt=day) & (Q(precision=Precision.BEFORE) | Q(date__lte=day))
        )

    def status_subquery(self, *, party, on):
        """The status of ``party`` known on ``on``, as an expression for annotate().

        Both may be outer references, e.g. a delegation's party on its meeting's date.
        """
        latest = self.filter(party=party, known_from__lte=on).latest_first()
        return Subquery(latest.values("status")[:1])

    def between(self, start, end):
        """Changes whose dated period meets ``start``..``end`` (inclusive).

        A day or an "on or before" bound must fall inside; a month or a year must
        overlap it. Undated changes are never between two dates.
        """
        return self.filter(known_from__gte=start, date__lte=end)


class PartyQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(self.code_filter(code))

    @staticmethod
    def code_filter(code):
        """Match a natural key: alpha-3 code of a state, acronym of an organization."""
        code = code.strip()
        alpha2 = countries.alpha2(code) if len(code) == 3 else None
        state = Q(kind=PartyKind.STATE, country=alpha2) if alpha2 else Q(pk__in=[])
        return state | Q(kind=PartyKind.ORGANIZATION, acronym__iexact=code)

    def with_status_on(self, day):
        """Annotate ``status``, ``since``, ``since_precision`` and ``since_latest`` as
        known on ``day``.

        One subquery per column, so a list of any length costs one query. A party with
        no change known by ``day`` gets ``status`` NONE and no ``since``.
        """
        latest = StandingChange.objects.filter(party=OuterRef("pk")).known_by(day)
        return self._with_latest(latest.latest_first())

    def with_current_status(self):
        """Status as the record stands today, undated attestations included.

        Today's status is what the latest dated change says; a party whose only record
        is an undated attestation (a source listing it as an observer without a date)
        shows that status.
        """
        today = timezone.localdate()
        latest = StandingChange.objects.filter(party=OuterRef("pk")).filter(
            Q(known_from__lte=today) | Q(known_from__isnull=True)
        )
        return self._with_latest(latest.latest_first())

    def _with_latest(self, latest):
        return self.annotate(
            status=Coalesce(
                Subquery(latest.values("status")[:1]), models.Value(Status.NONE)
            ),
            since=Subquery(latest.values("date")[:1]),
            since_precision=Subquery(latest.values("precision")[:1]),
            since_latest=Subquery(latest.values("date_latest")[:1]),
        )

    def members_on(self, day):
        """Members on ``day``, suspended members included (``rules.MEMBERSHIP``)."""
        return self.with_status_on(day).filter(status__in=rules.MEMBERSHIP)

    def observers_on(self, day):
        return self.with_status_on(day).filter(status=Status.OBSERVER)

    def founding(self):
        """Members on the day CICA was formally launched (settings.CICA_LAUNCH_DATE)."""
        return self.members_on(launch_date())


class Party(models.Model):
    kind = models.CharField(
        _("kind"), max_length=12, choices=PartyKind.choices, default=PartyKind.STATE
    )
    country = CountryField(
        _("country"),
        blank=True,
        help_text=_("States only: the ISO 3166 country."),
    )
    acronym = models.CharField(
        _("acronym"),
        max_length=20,
        blank=True,
        help_text=_("Organizations only, e.g. OSCE. Used as the organization's code."),
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        help_text=_(
            "The name used in CICA documents. For an organization, its full name. "
            "Left empty for a state, the ISO short name is used."
        ),
    )
    in_asia = models.BooleanField(
        _("territory in Asia"),
        default=False,
        help_text=_(
            "States only: territory at least partly in Asia (required of members)."
        ),
    )
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = tracked_history()

    objects = PartyQuerySet.as_manager()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        default_permissions = SPREADSHEET_PERMISSIONS
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=PartyKind.STATE) & ~Q(country="") & Q(acronym="")
                    | Q(kind=PartyKind.ORGANIZATION)
                    & Q(country="")
                    & ~Q(acronym="")
                    & Q(in_asia=False)
                ),
                name="party_state_has_country_organization_has_acronym",
                violation_error_message=rules.STATE_OR_ORGANIZATION,
            ),
            models.UniqueConstraint(
                fields=["country"],
                condition=Q(kind=PartyKind.STATE),
                name="party_unique_country",
                violation_error_message=rules.COUNTRY_TAKEN,
            ),
            models.UniqueConstraint(
                fields=["acronym"],
                condition=Q(kind=PartyKind.ORGANIZATION),
                name="party_unique_acronym",
                violation_error_message=rules.ACRONYM_TAKEN,
            ),
        ]

    def __str__(self):
        return self.name or self.code

    def natural_key(self):
        return (self.code,)

    @property
    def code(self):
        """ISO alpha-3 code of a state, acronym of an organization."""
        if self.kind == PartyKind.STATE:
            return self.country.alpha3 if self.country else ""
        return self.acronym

    @property
    def is_state(self):
        return self.kind == PartyKind.STATE

    @property
    def may_be_member(self):
        return self.is_state and self.in_asia

    def clean(self):
        errors = {}
        if self.is_state:
            if not self.country:
                errors["country"] = _("A state needs its country.")
            if self.acronym:
                errors["acronym"] = _("Only an organization has an acronym.")
            if self.country and not self.name:
                self.name = self.country.name
        else:
            if not self.acronym:
                errors["acronym"] = _("An organization needs its acronym.")
            if self.country:
                errors["country"] = _("An organization has no country.")
            if self.in_asia:
                errors["in_asia"] = _("Territory applies to states only.")
            if not self.name:
                self.name = self.acronym
        others = Party.objects.exclude(pk=self.pk)
        if (
            self.is_state
            and others.filter(kind=self.kind, country=self.country).exists()
        ):
            errors["country"] = rules.COUNTRY_TAKEN
        if (
            not self.is_state
            and others.filter(kind=self.kind, acronym=self.acronym).exists()
        ):
            errors["acronym"] = rules.ACRONYM_TAKEN
        if errors:
            raise ValidationError(errors)
        if (
            self.pk
            and not self.may_be_member
            and self.standing_changes.filter(status=Status.MEMBER).exists()
        ):
            field = "in_asia" if self.is_state else "kind"
            raise ValidationError({field: rules.HAS_BEEN_MEMBER % {"party": self}})

    def status_on(self, day):
        """This party's status as known on ``day`` (a Status value)."""
        latest = self.standing_changes.known_by(day).latest_first().first()
        return latest.status if latest else Status.NONE


class StandingChange(models.Model):
    """A change of a party's standing: from ``date`` on, its status is ``status``."""

    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="standing_changes",
        verbose_name=_("party"),
    )
    status = models.CharField(_("new status"), max_length=10, choices=Status.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    precision = precision_field(with_range=True)
    date_latest = latest_field()
    known_from = models.DateField(
        _("known from"),
        null=True,
        editable=False,
        help_text=_("First day on which the change is certainly in effect."),
    )
    basis = models.TextField(
        _("basis"),
        blank=True,
        help_text=_("The decision, meeting or signature that caused the change."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = tracked_history()

    objects = StandingChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("change of standing")
        verbose_name_plural = _("changes of standing")
        default_permissions = SPREADSHEET_PERMISSIONS
        ordering = [F("date").asc(nulls_first=True), "known_from", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["party"],
                condition=Q(date__isnull=True),
                name="standing_one_undated_change_per_party",
                violation_error_message=rules.ONE_UNDATED_CHANGE,
            ),
            models.UniqueConstraint(
                fields=["party", "date"],
                name="standing_one_change_per_party_per_date",
                violation_error_message=rules.DUPLICATE_DATE,
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        precision=Precision.UNKNOWN,
                        date__isnull=True,
                        known_from__isnull=True,
                    )
                    | ~Q(precision=Precision.UNKNOWN)
                    & Q(date__isnull=False, known_from__gte=F("date"))
                ),
                name="standing_known_from_follows_date",
            ),
            models.CheckConstraint(
                condition=Q(
                    precision=Precision.RANGE,
                    date_latest__isnull=False,
                    date_latest__gt=F("date"),
                )
                | ~Q(precision=Precision.RANGE) & Q(date_latest__isnull=True),
                name="standing_latest_day_only_for_a_range",
                violation_error_message=rules.LATEST_DAY_ONLY_FOR_RANGE,
            ),
        ]
        indexes = [models.Index(fields=["party", "known_from"])]

    def __str__(self):
        return f"{self.party}: {self.get_status_display()} ({self.when})"

    def save(self, *args, **kwargs):
        # A derived column, kept true on every save (clean() sets it for validation).
        self.known_from = known_by(self.date, self.precision, self.date_latest)
        super().save(*args, **kwargs)

    @property
    def when(self):
        return format_partial(self.date, self.precision, self.date_latest)

    @property
    def on(self):
        """The date after a verb, for messages: 'on one of 20-21 May 2014'."""
        return on_partial(self.date, self.precision, self.date_latest)

    def clean(self):
        check_partial_date(self.date, self.precision, "date")
        check_range(self.date, self.precision, self.date_latest, "date_latest")
        self.known_from = known_by(self.date, self.precision, self.date_latest)
        # One change per date is the constraint's; the timeline as a whole is
        # checked by the service (services.standing_change_errors) or, on the
        # party's page, by the formset over the rows as edited.


class ChairmanshipTermQuerySet(models.QuerySet):
    def with_end(self):
        return self.annotate(term_end=Coalesce("actual_end", "planned_end"))

    def on(self, day):
        """The term certainly in force on ``day``: start <= day < end (no end: still
        running). A start known only to a range of days counts from its last day; an
        end, as before, from its first possible day."""
        return (
            self.with_end()
            .annotate(started_by=Coalesce("start_latest", "start"))
            .filter(started_by__lte=day)
            .filter(Q(term_end__isnull=True) | Q(term_end__gt=day))
        )

    def overlapping(self, start, end):
        """Terms sharing at least one day with [start, end); ``end`` None is open."""
        terms = self.with_end().filter(Q(term_end__isnull=True) | Q(term_end__gt=start))
        return terms.filter(start__lt=end) if end else terms


class ChairmanshipTerm(models.Model):
    """A state's term as CICA Chairman, from ``start`` up to (not including) its end.

    The end is the actual end when known, else the planned end; neither means open.
    """

    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="chairmanship_terms",
        limit_choices_to={"kind": PartyKind.STATE},
        error_messages={"invalid": rules.CHAIR_IS_A_STATE},
        verbose_name=_("chairing state"),
    )
    start = models.DateField(_("start"))
    start_precision = precision_field(_("start precision"), with_range=True)
    start_latest = latest_field(_("latest possible start"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    planned_end_precision = precision_field(_("planned end precision"))
    actual_end = models.DateField(
        _("actual end"),
        null=True,
        blank=True,
        help_text=_("Empty while the term runs, or when the end is not recorded."),
    )
    actual_end_precision = precision_field(_("actual end precision"), with_range=True)
    actual_end_latest = latest_field(_("latest possible actual end"))
    extends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="extensions",
        verbose_name=_("extends"),
        help_text=_("The term this one extends (e.g. Turkey's 2012-2014 extension)."),
    )
    basis = models.TextField(_("basis"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = tracked_history()

    objects = ChairmanshipTermQuerySet.as_manager()

    class Meta:
        verbose_name = _("chairmanship term")
        verbose_name_plural = _("chairmanship terms")
        default_permissions = SPREADSHEET_PERMISSIONS
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True) | Q(planned_end__gt=F("start")),
                name="chair_planned_end_after_start",
                violation_error_message=rules.END_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True) | Q(actual_end__gt=F("start")),
                name="chair_actual_end_after_start",
                violation_error_message=rules.END_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=Q(
                    start_precision=Precision.RANGE,
                    start_latest__isnull=False,
                    start_latest__gt=F("start"),
                )
                | ~Q(start_precision=Precision.RANGE) & Q(start_latest__isnull=True),
                name="chair_start_latest_only_for_a_range",
                violation_error_message=rules.LATEST_DAY_ONLY_FOR_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(
                    actual_end_precision=Precision.RANGE,
                    actual_end_latest__isnull=False,
                    actual_end_latest__gt=F("actual_end"),
                )
                | ~Q(actual_end_precision=Precision.RANGE)
                & Q(actual_end_latest__isnull=True),
                name="chair_actual_end_latest_only_for_a_range",
                violation_error_message=rules.LATEST_DAY_ONLY_FOR_RANGE,
            ),
            PostgresExclusionConstraint(
                name="chair_terms_never_overlap",
                expressions=[
                    (
                        DateRange(
                            "start",
                            Coalesce("actual_end", "planned_end"),
                            models.Value("[)"),
                        ),
                        "&&",
                    ),
                ],
            ),
        ]

    def __str__(self):
        return f"{self.party} ({self.period})"

    @property
    def end(self):
        return self.actual_end or self.planned_end

    @property
    def end_precision(self):
        return (
            self.actual_end_precision if self.actual_end else self.planned_end_precision
        )

    @property
    def end_latest(self):
        return self.actual_end_latest if self.actual_end else None

    @property
    def start_display(self):
        return format_partial(self.start, self.start_precision, self.start_latest)

    @property
    def end_display(self):
        if self.end is None:
            return ""
        return format_partial(self.end, self.end_precision, self.end_latest)

    @property
    def period(self):
        return f"{self.start_display} – {self.end_display or '…'}"

    def clean(self):
        check_partial_date(self.start, self.start_precision, "start")
        check_range(self.start, self.start_precision, self.start_latest, "start_latest")
        check_range(
            self.actual_end,
            self.actual_end_precision,
            self.actual_end_latest,
            "actual_end_latest",
        )
        for field in ("planned_end", "actual_end"):
            check_partial_date(
                getattr(self, field),
                getattr(self, f"{field}_precision"),
                field,
                optional=True,
            )
        if self.start is None or self.party_id is None:
            return
        for field in ("planned_end", "actual_end"):
            value = getattr(self, field)
            if value is not None and value <= self.start:
                raise ValidationError({field: rules.END_BEFORE_START})
        if self.party.status_on(self.start) != Status.MEMBER:
            raise ValidationError(
                {
                    "party": rules.CHAIR_NOT_MEMBER
                    % {
                        "party": self.party,
                        "on": on_partial(
                            self.start, self.start_precision, self.start_latest
                        ),
                    }
                }
            )
        if self.extends_id:
            previous = self.extends
            if previous.party_id != self.party_id:
                raise ValidationError({"extends": rules.EXTENSION_OF_OTHER_STATE})
            if previous.end is None or previous.end > self.start:
                raise ValidationError(
                    {
                        "extends": rules.EXTENSION_BEFORE_TERM
                        % {
                            "end": previous.end_display or "…",
                        }
                    }
                )
        other = (
            ChairmanshipTerm.objects.exclude(pk=self.pk)
            .overlapping(self.start, self.end)
            .select_related("party")
            .first()
        )
        if other:
            raise ValidationError(
                {
                    "start": rules.CHAIR_TERMS_OVERLAP
                    % {
                        "other": other.party,
                        "start": other.start_display,
                        "end": other.end_display or "…",
                    }
                }
            )


class HorizonKind(models.TextChoices):
    STANDING = "standing", _("members and observers")
    CHAIRMANSHIP = "chairmanship", _("chairmanship")
    SECRETARIAT = "secretariat", _("the Secretariat")
    MEETINGS = "meetings", _("meetings")
    DOCUMENTS = "documents", _("documents")


class RecordHorizonQuerySet(models.QuerySet):
    def passed_on(self, day, kind):
        """The horizon of ``kind`` if ``day`` lies beyond it, else None (also when no
        horizon is recorded: the record then makes no claim about where it ends)."""
        horizon = self.filter(kind=kind).first()
        return horizon if horizon and day > horizon.date else None


class RecordHorizon(models.Model):
    """The latest day the sources vouch for one kind of fact.

    Past it, the record still answers (a roster of 2020 repeats the last recorded
    state) but no source confirms the answer, and every view says so.
    """

    kind = models.CharField(
        _("kind of fact"), max_length=16, choices=HorizonKind.choices, unique=True
    )
    date = models.DateField(
        _("vouched for up to"),
        help_text=_("The last day on which the sources say how things stood."),
    )
    source = models.CharField(_("source"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    history = tracked_history()

    objects = RecordHorizonQuerySet.as_manager()

    class Meta:
        verbose_name = _("horizon of the record")
        verbose_name_plural = _("horizons of the record")
        default_permissions = SPREADSHEET_PERMISSIONS
        ordering = ["kind"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.when}"

    @property
    def when(self):
        return format_partial(self.date, Precision.DAY)

    @property
    def warning(self):
        """What a view past this horizon says."""
        return rules.PAST_HORIZON % {"kind": self.get_kind_display(), "day": self.when}


class SeatEventKind(models.TextChoices):
    OPENED = "opened", _("Secretariat opened")
    TRANSFER_AGREED = "transfer_agreed", _("transfer agreed")
    MOVED = "moved", _("moved")


class SeatEvent(models.Model):
    """An event in the history of the Secretariat's seat.

    The seat on a day is the city of the latest "opened" or "moved" event by that day;
    an agreed transfer does not move the seat until a "moved" event is recorded.
    """

    kind = models.CharField(_("event"), max_length=16, choices=SeatEventKind.choices)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    date = models.DateField(_("date"))
    precision = precision_field()
    basis = models.TextField(_("basis"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("Secretariat seat event")
        verbose_name_plural = _("Secretariat seat history")
        default_permissions = SPREADSHEET_PERMISSIONS
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "city", "date"], name="seat_event_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.city} ({self.when})"

    @property
    def when(self):
        return format_partial(self.date, self.precision)

    def clean(self):
        check_partial_date(self.date, self.precision, "date")


class Post(models.Model):
    title = models.CharField(_("title"), max_length=120, unique=True)
    rank = models.PositiveSmallIntegerField(
        _("rank"), default=100, help_text=_("Lower ranks are listed first.")
    )
    description = models.TextField(_("description"), blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("Secretariat post")
        verbose_name_plural = _("Secretariat posts")
        default_permissions = SPREADSHEET_PERMISSIONS
        ordering = ["rank", "title"]

    def __str__(self):
        return self.title


class PostHolding(models.Model):
    """Someone holding a Secretariat post, from ``start`` up to (not including) ``end``.

    Empty dates are unknown: the seeds name some holders without saying when.
    """

    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, related_name="holdings", verbose_name=_("post")
    )
    holder_name = models.CharField(
        _("holder"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty when the source gives only the nationality."),
    )
    nationality = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="secretariat_posts",
        limit_choices_to={"kind": PartyKind.STATE},
        error_messages={"invalid": rules.NATIONALITY_IS_A_STATE},
        verbose_name=_("nationality"),
        help_text=_(
            "The state whose national holds the post (and, when seconded, pays)."
        ),
    )
    seconded = models.BooleanField(
        _("seconded"),
        default=False,
        help_text=_("Seconded by the state, which covers salary and benefits."),
    )
    start = models.DateField(_("start"), null=True, blank=True)
    start_precision = precision_field(_("start precision"))
    end = models.DateField(_("end"), null=True, blank=True)
    end_precision = precision_field(_("end precision"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("post holding")
        verbose_name_plural = _("post holdings")
        default_permissions = SPREADSHEET_PERMISSIONS
        ordering = ["post__rank", "start", "holder_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True)
                | Q(end__isnull=True)
                | Q(end__gt=F("start")),
                name="post_holding_end_after_start",
                violation_error_message=rules.END_BEFORE_START,
            )
        ]

    def __str__(self):
        holder = self.holder_name or _("national of %(state)s") % {
            "state": self.nationality
        }
        return f"{self.post}: {holder}"

    def clean(self):
        # An empty date is simply not known; say so rather than keep a stale precision.
        if self.start is None:
            self.start_precision = Precision.UNKNOWN
        if self.end is None:
            self.end_precision = Precision.UNKNOWN
        check_partial_date(self.start, self.start_precision, "start", optional=True)
        check_partial_date(self.end, self.end_precision, "end", optional=True)
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": rules.END_BEFORE_START})


class PointOfContact(models.Model):
    """A national focal point or contact person for a subject."""

    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="points_of_contact",
        verbose_name=_("state"),
        help_text=_(
            "Empty when the source does not say which state the contact serves."
        ),
    )
    subject = models.CharField(
        _("subject"), max_length=200, help_text=_("e.g. Small arms (UN PoA)")
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=300, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("point of contact")
        verbose_name_plural = _("points of contact")
        default_permissions = SPREADSHEET_PERMISSIONS
        ordering = ["subject", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "name"], name="point_of_contact_unique"
            )
        ]

    def __str__(self):
        return f"{self.subject}: {self.name}"
