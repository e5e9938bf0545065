"""Voluntary contributions to CICA, the pledges they fulfil, and exchange rates.

Amounts are ``Decimal`` with their ISO 4217 currency beside them (py-moneyed knows the
codes and their minor units). At most 15 significant digits are allowed, which SQLite
stores exactly; nothing is converted through floating point in Python.

Synthetic rows (made up by ``generate_synthetic``) are marked, and real and synthetic
data never value each other: a real contribution is valued at real rates only.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from moneyed import Money

from cica_admin.core.dates import format_partial
from cica_admin.core.models import SPREADSHEET_PERMISSIONS, tracked_history
from registry.models import Party, PartyKind, PostHolding

from . import rules

AMOUNT = {"max_digits": 15, "decimal_places": 3}


class CurrencyField(models.CharField):
    """An ISO 4217 code; typed in any case and with stray spaces, stored upper case."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.strip().upper() if isinstance(value, str) else value


def currency_field(verbose_name=None, **kwargs):
    return CurrencyField(
        verbose_name or _("currency"),
        max_length=3,
        validators=[rules.validate_currency],
        help_text=_("ISO 4217 code, e.g. USD, KZT, EUR."),
        **kwargs,
    )


class Earmark(models.TextChoices):
    GENERAL = "general", _("general budget")
    MEETING = "meeting", _("a meeting")
    PROJECT = "project", _("a project")


class MoneyRecord(models.Model):
    """An amount in a currency, given by a party, for a purpose; real or synthetic."""

    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("party")
    )
    amount = models.DecimalField(_("amount"), **AMOUNT)
    currency = currency_field()
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
    synthetic = models.BooleanField(
        _("synthetic"),
        default=False,
        editable=False,
        help_text=_("Made up by generate_synthetic for trials and benchmarks."),
    )

    class Meta:
        abstract = True

    #: Facts the rules would otherwise query, loaded once for a whole imported file
    #: (see ``finance.resources``); None outside an import.
    preloaded = None

    @property
    def money(self):
        return Money(self.amount, self.currency)

    @property
    def amount_display(self):
        return rules.format_money(self.amount, self.currency)

    def check_amount_and_purpose(self):
        """The rules every pledge and contribution obey; for ``clean()``."""
        message = rules.amount_errors(self.amount, self.currency)
        if message:
            raise ValidationError({"amount": message})
        if self.earmark == Earmark.MEETING and not self.meeting_id:
            raise ValidationError({"meeting": rules.MEETING_EARMARK_NEEDS_MEETING})
        if self.earmark == Earmark.PROJECT and not self.project:
            raise ValidationError({"project": rules.PROJECT_EARMARK_NEEDS_PROJECT})
        # Checked when the contributor is chosen, so that turning the setting on does
        # not lock the organizations' existing rows.
        if (
            settings.CICA_CONTRIBUTIONS_FROM_STATES_ONLY
            and self.party_id
            and self._party_changed()
            and self.party.kind != PartyKind.STATE
        ):
            raise ValidationError({"party": rules.STATES_ONLY})

    def _party_changed(self):
        if self.pk is None:
            return True
        if self.preloaded is not None:
            return self.preloaded["stored_party_id"] != self.party_id
        stored = (
            type(self).objects.filter(pk=self.pk).values_list("party_id", flat=True)
        )
        return stored.first() != self.party_id


class Pledge(MoneyRecord):
    """A party's promise of money for a year, or a period of years (inclusive)."""

    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("party")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("The year the pledge is for (the first of several).")
    )
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
    history = tracked_history()

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        default_permissions = SPREADSHEET_PERMISSIONS
        ordering = ["-year", "-date"]
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

    @property
    def years(self):
        return range(self.year, (self.year_to or self.year) + 1)

    def clean(self):
        self.check_amount_and_purpose()
        if (
            self.year_to is not None
            and self.year is not None
            and self.year_to < self.year
        ):
            raise ValidationError({"year_to": rules.YEAR_ORDER})
        if self.pk is None:
            return
        # Editing a pledge must keep its contributions valid.
        contributions = Contribution.objects.filter(pledge=self)
        if contributions.exclude(party_id=self.party_id).exists():
            raise ValidationError({"party": rules.PLEDGE_HAS_OTHER_CONTRIBUTOR})
        if contributions.exclude(currency=self.currency).exists():
            raise ValidationError({"currency": rules.PLEDGE_HAS_OTHER_CURRENCY})
        received = sum(contributions.values_list("amount", flat=True), rules.ZERO)
        stored = (
            Pledge.objects.filter(pk=self.pk).values_list("amount", flat=True).first()
        )
        # A confirmed overpayment may leave a pledge below what it received; it may
        # not be cut further.
        reduced = (
            stored is not None and self.amount is not None and self.amount < stored
        )
        if reduced and received > self.amount:
            raise ValidationError(
                {
                    "amount": rules.PLEDGE_BELOW_RECEIVED
                    % {"received": rules.format_money(received, self.currency)}
                }
            )


class ContributionKind(models.TextChoices):
    CASH = "cash", _("cash")
    IN_KIND = "in_kind", _("in kind")


class Contribution(MoneyRecord):
    """Money (or its value in kind) a party has given, and when it arrived."""

    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name=_("contributor"),
    )
    received = models.DateField(_("received on"))
    year = models.PositiveSmallIntegerField(
        _("year"),
        blank=True,
        help_text=_("The year it counts for; empty: the year it was received."),
    )
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
        help_text=_(
            "Bank transfer or receipt number; unique for each contributor (capitals "
            "and spaces around it do not count)."
        ),
    )
    note = models.TextField(_("note"), blank=True)
    history = tracked_history()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        default_permissions = SPREADSHEET_PERMISSIONS
        ordering = ["-received", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="contribution_amount_positive",
                violation_error_message=rules.AMOUNT_NOT_POSITIVE,
            ),
            models.UniqueConstraint(
                Lower("reference"),
                "party",
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

    def received_against_pledge(self):
        """What the pledge will have received with this contribution (one query)."""
        if self.preloaded is not None:
            return self.preloaded["received_by_others"] + self.amount
        others = self.pledge.contributions.exclude(pk=self.pk)
        return sum(others.values_list("amount", flat=True), self.amount)

    def overpays_pledge(self):
        return (
            bool(self.pledge_id) and self.received_against_pledge() > self.pledge.amount
        )

    def clean(self):
        self.reference = " ".join(self.reference.split())
        if self.year is None and self.received is not None:
            self.year = self.received.year
        self.check_amount_and_purpose()
        today = timezone.localdate()
        if self.received and self.received > today:
            raise ValidationError(
                {
                    "received": rules.RECEIVED_IN_FUTURE
                    % {"today": format_partial(today, "day")}
                }
            )
        self._check_reference()
        self._check_covers()
        self._check_pledge()

    def _check_reference(self):
        # The database constraint says the same; checked here as well so that the
        # message stands beside the field instead of above the form.
        if self.party_id and self.reference and self.preloaded is not None:
            if self.preloaded["reference_taken"]:
                raise ValidationError({"reference": rules.DUPLICATE_REFERENCE})
        elif self.party_id and self.reference:
            duplicate = Contribution.objects.filter(
                party_id=self.party_id, reference__iexact=self.reference
            ).exclude(pk=self.pk)
            if duplicate.exists():
                raise ValidationError({"reference": rules.DUPLICATE_REFERENCE})

    def _check_covers(self):
        if self.covers_id is None:
            return
        if self.kind != ContributionKind.IN_KIND:
            raise ValidationError({"covers": rules.COVERS_ONLY_IN_KIND})
        if self.party_id and self.covers.nationality_id not in (None, self.party_id):
            raise ValidationError(
                {
                    "covers": rules.COVERS_OTHER_NATIONALITY
                    % {"state": self.covers.nationality}
                }
            )

    def _check_pledge(self):
        if not self.pledge_id or self.amount is None or self.amount <= 0:
            return
        pledge = self.pledge
        if pledge.synthetic and not self.synthetic:
            raise ValidationError({"pledge": rules.REAL_AGAINST_SYNTHETIC})
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
        received = self.received_against_pledge()
        if received > pledge.amount and not self.overpayment_confirmed:
            raise ValidationError(
                {
                    "overpayment_confirmed": rules.OVERPAYS_PLEDGE
                    % {
                        "received": rules.format_money(received, self.currency),
                        "pledged": rules.format_money(pledge.amount, pledge.currency),
                    }
                }
            )


class ExchangeRate(models.Model):
    """How much of the ``quote`` currency (the reporting currency when recorded) one
    unit of ``currency`` was worth. A rate is in force from its date until the next
    rate of the same pair."""

    currency = currency_field()
    quote = currency_field(
        _("against"), default=rules.reporting_currency, editable=False
    )
    date = models.DateField(_("in force from"))
    rate = models.DecimalField(
        _("rate"),
        max_digits=15,
        decimal_places=10,
        help_text=_("Units of the reporting currency for one unit of this currency."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False, editable=False)
    history = tracked_history()

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        default_permissions = SPREADSHEET_PERMISSIONS
        ordering = ["currency", "-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "quote", "date", "synthetic"],
                name="exchange_rate_unique_per_day",
                violation_error_message=rules.DUPLICATE_RATE,
            ),
            models.CheckConstraint(
                condition=Q(rate__gt=0),
                name="exchange_rate_positive",
                violation_error_message=rules.RATE_NOT_POSITIVE,
            ),
        ]

    def __str__(self):
        return (
            f"1 {self.currency} = {self.rate.normalize()} {self.quote} from {self.date}"
        )

    def clean(self):
        if self.currency == self.quote:
            raise ValidationError(
                {
                    "currency": rules.RATE_OF_REPORTING_CURRENCY
                    % {"currency": self.currency}
                }
            )
        if self.rate is not None and (not self.rate.is_finite() or self.rate <= 0):
            raise ValidationError({"rate": rules.RATE_NOT_POSITIVE})
        if self.rate and self.date and not getattr(self, "jump_confirmed", False):
            self._check_plausible()

    def _check_plausible(self):
        """Refuse a rate five times above or below the previous one: most often a rate
        typed the wrong way round (KZT per USD instead of USD per KZT)."""
        previous = (
            ExchangeRate.objects.filter(
                currency=self.currency,
                quote=self.quote,
                synthetic=self.synthetic,
                date__lt=self.date,
            )
            .exclude(pk=self.pk)
            .order_by("-date")
            .first()
        )
        if previous is None:
            return
        ratio = self.rate / previous.rate
        if ratio > 5 or ratio < Decimal("0.2"):
            raise ValidationError(
                {
                    "rate": rules.RATE_JUMP
                    % {
                        "currency": self.currency,
                        "quote": self.quote,
                        "previous": previous.rate.normalize(),
                        "date": format_partial(previous.date, "day"),
                    }
                }
            )
