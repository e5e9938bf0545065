"""Voluntary contributions to CICA, the pledges they fulfil, and exchange rates.

Amounts are ``Decimal`` with their ISO 4217 currency beside them (py-moneyed knows the
codes and their minor units); they are never converted through floating point.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from moneyed import Money
from simple_history.models import HistoricalRecords

from registry.dates import format_partial
from registry.models import Party, PartyKind, PostHolding

from . import rules

AMOUNT = {"max_digits": 18, "decimal_places": 3}


def currency_field(verbose_name=None):
    return models.CharField(
        verbose_name or _("currency"),
        max_length=3,
        validators=[rules.validate_currency],
        help_text=_("ISO 4217 code, e.g. USD, KZT, EUR."),
    )


class Earmark(models.TextChoices):
    GENERAL = "general", _("general Secretariat budget")
    MEETING = "meeting", _("a meeting")
    PROJECT = "project", _("a project")


class EarmarkedMixin(models.Model):
    """What the money is for: the general budget, a meeting or a project."""

    earmark = models.CharField(
        _("earmark"), max_length=8, choices=Earmark.choices, default=Earmark.GENERAL
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("meeting"),
    )
    project = models.CharField(_("project"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def clean_earmark(self):
        if self.earmark == Earmark.MEETING and not self.meeting_id:
            raise ValidationError({"meeting": rules.MEETING_EARMARK_NEEDS_MEETING})
        if self.earmark == Earmark.PROJECT and not self.project:
            raise ValidationError({"project": rules.PROJECT_EARMARK_NEEDS_PROJECT})


class AmountMixin(models.Model):
    amount = models.DecimalField(_("amount"), **AMOUNT)
    currency = currency_field()
    synthetic = models.BooleanField(
        _("synthetic"),
        default=False,
        editable=False,
        help_text=_("Made up by generate_synthetic for trials and benchmarks."),
    )

    class Meta:
        abstract = True

    @property
    def money(self):
        return Money(self.amount, self.currency)

    @property
    def amount_display(self):
        return rules.format_money(self.amount, self.currency)

    def clean_amount(self):
        message = rules.amount_errors(self.amount, self.currency)
        if message:
            raise ValidationError({"amount": message})

    def clean_contributor(self):
        if (
            settings.CICA_CONTRIBUTIONS_FROM_STATES_ONLY
            and self.party_id
            and self.party.kind != PartyKind.STATE
        ):
            raise ValidationError({"party": rules.STATES_ONLY})


class Pledge(EarmarkedMixin, AmountMixin):
    """A party's promise of money for a year (or a period of years)."""

    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("party")
    )
    year = models.PositiveSmallIntegerField(_("for the year"))
    year_to = models.PositiveSmallIntegerField(
        _("to the year"),
        null=True,
        blank=True,
        help_text=_("For a pledge over several years, the last one."),
    )
    date = models.DateField(_("pledged on"))
    basis = models.TextField(
        _("basis"), blank=True, help_text=_("The letter, note verbale or statement.")
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-year", "party__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="pledge_amount_positive",
                violation_error_message=rules.AMOUNT_NOT_POSITIVE,
            ),
            models.CheckConstraint(
                condition=Q(year_to__isnull=True) | Q(year_to__gte=models.F("year")),
                name="pledge_period_in_order",
                violation_error_message=rules.YEAR_ORDER,
            ),
        ]

    def __str__(self):
        return f"{self.party}: {self.amount_display} for {self.period}"

    @property
    def period(self):
        return f"{self.year}-{self.year_to}" if self.year_to else str(self.year)

    def clean(self):
        self.clean_amount()
        self.clean_earmark()
        self.clean_contributor()
        if (
            self.year_to is not None
            and self.year is not None
            and self.year_to < self.year
        ):
            raise ValidationError({"year_to": rules.YEAR_ORDER})


class ContributionKind(models.TextChoices):
    CASH = "cash", _("cash")
    IN_KIND = "in_kind", _("in kind")


class Contribution(EarmarkedMixin, AmountMixin):
    """Money (or its value in kind) a party has given, and when it arrived."""

    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name=_("contributor"),
    )
    received = models.DateField(_("received on"))
    year = models.PositiveSmallIntegerField(_("counts for the year"))
    kind = models.CharField(
        _("kind"),
        max_length=8,
        choices=ContributionKind.choices,
        default=ContributionKind.CASH,
    )
    covers = models.ForeignKey(
        PostHolding,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("post or staff covered"),
        help_text=_("For a contribution in kind: the seconded post it pays for."),
    )
    pledge = models.ForeignKey(
        Pledge,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("fulfils pledge"),
    )
    overpayment_confirmed = models.BooleanField(
        _("overpayment confirmed"),
        default=False,
        help_text=_("Tick to record a contribution above what remains of its pledge."),
    )
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("Bank transfer or receipt number; unique for each contributor."),
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-received", "party__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="contribution_amount_positive",
                violation_error_message=rules.AMOUNT_NOT_POSITIVE,
            ),
            models.UniqueConstraint(
                fields=["party", "reference"],
                condition=~Q(reference=""),
                name="contribution_reference_unique_per_party",
                violation_error_message=rules.DUPLICATE_REFERENCE,
            ),
        ]
        indexes = [models.Index(fields=["currency", "received"])]

    def __str__(self):
        received = format_partial(self.received, "day")
        return f"{self.party}: {self.amount_display} received {received}"

    def natural_key(self):
        return (self.party.code, self.reference)

    @property
    def overpays(self):
        """True when this contribution takes its pledge above the pledged amount."""
        return self.pledge_id is not None and self.pledge_total_with_this() > (
            self.pledge.amount
        )

    def pledge_total_with_this(self):
        others = self.pledge.contributions.exclude(pk=self.pk).values_list(
            "amount", flat=True
        )
        return sum(others, self.amount)

    def clean(self):
        self.clean_amount()
        self.clean_earmark()
        self.clean_contributor()
        today = timezone.localdate()
        if self.received and self.received > today:
            raise ValidationError(
                {"received": rules.RECEIVED_IN_FUTURE % {"today": today.isoformat()}}
            )
        if self.party_id and self.reference:
            duplicate = Contribution.objects.filter(
                party_id=self.party_id, reference=self.reference
            ).exclude(pk=self.pk)
            if duplicate.exists():
                raise ValidationError({"reference": rules.DUPLICATE_REFERENCE})
        if self.pledge_id and self.amount and self.amount > 0:
            pledge = self.pledge
            if self.party_id and pledge.party_id != self.party_id:
                raise ValidationError(
                    {"pledge": rules.PLEDGE_OF_OTHER_PARTY % {"party": pledge.party}}
                )
            if pledge.currency != self.currency:
                raise ValidationError(
                    {
                        "currency": rules.PLEDGE_OTHER_CURRENCY
                        % {"currency": pledge.currency}
                    }
                )
            received = self.pledge_total_with_this()
            if received > pledge.amount and not self.overpayment_confirmed:
                raise ValidationError(
                    {
                        "overpayment_confirmed": rules.OVERPAYS_PLEDGE
                        % {
                            "received": rules.format_money(received, self.currency),
                            "pledged": rules.format_money(
                                pledge.amount, pledge.currency
                            ),
                        }
                    }
                )


class ExchangeRate(models.Model):
    """How much of the reporting currency one unit of ``currency`` was worth on
    ``date``. A rate is in force from its date until the next rate of its currency."""

    currency = currency_field()
    date = models.DateField(_("in force from"))
    rate = models.DecimalField(
        _("rate"),
        max_digits=24,
        decimal_places=10,
        help_text=_("Units of the reporting currency for one unit of this currency."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "date"], name="exchange_rate_unique_per_day"
            ),
            models.CheckConstraint(
                condition=Q(rate__gt=0),
                name="exchange_rate_positive",
                violation_error_message=rules.RATE_NOT_POSITIVE,
            ),
        ]

    def __str__(self):
        reporting = rules.reporting_currency()
        return (
            f"1 {self.currency} = {self.rate.normalize()} {reporting} from {self.date}"
        )

    def clean(self):
        if self.currency == rules.reporting_currency():
            raise ValidationError(
                {
                    "currency": rules.RATE_OF_REPORTING_CURRENCY
                    % {"currency": self.currency}
                }
            )
        if isinstance(self.rate, float):
            raise ValidationError({"rate": rules.FLOAT_AMOUNT})
        if self.rate is not None and self.rate <= 0:
            raise ValidationError({"rate": rules.RATE_NOT_POSITIVE})
