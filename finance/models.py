"""Voluntary contributions to CICA, the pledges they fulfil, and exchange rates.

Amounts are ``Decimal`` with their ISO 4217 currency beside them (py-moneyed knows the
codes and their minor units). At most 15 significant digits are allowed, which SQLite
stores exactly; nothing is converted through floating point in Python.

Synthetic rows (made up by ``generate_synthetic``) are marked, and real and synthetic
data never value each other: a real contribution is valued at real rates only.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from moneyed import Money

from cica_admin.core.dates import format_partial
from cica_admin.core.models import SPREADSHEET_PERMISSIONS, tracked_history
from registry.models import Party, PostHolding

from . import rules
from .choices import ContributionKind, Earmark

AMOUNT = {"max_digits": 15, "decimal_places": 3}
SYNTHETIC_PLEDGE = _("%(pledge)s [synthetic]")


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

    @property
    def money(self):
        return Money(self.amount, self.currency)

    @property
    def amount_display(self):
        return rules.format_money(self.amount, self.currency)


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
        pledge = f"{self.party}: {self.amount_display} for {self.period}"
        if self.synthetic:
            # Marked wherever a pledge is named, the pledge picker first: a clerk
            # must not take made-up data for a real pledge.
            return SYNTHETIC_PLEDGE % {"pledge": pledge}
        return pledge

    @property
    def period(self):
        return f"{self.year}-{self.year_to}" if self.year_to else str(self.year)

    @property
    def years(self):
        return range(self.year, (self.year_to or self.year) + 1)

    def clean(self, *, facts: rules.PledgeFacts | None = None):
        """The rules of ``rules.check_pledge``; ``facts`` (what they need from the
        database) are loaded here when not given."""
        if facts is None:
            facts = pledge_facts(self)
        rules.check_pledge(self, facts)


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
        others = self.pledge.contributions.exclude(pk=self.pk)
        return sum(others.values_list("amount", flat=True), self.amount)

    def overpays_pledge(self):
        return (
            bool(self.pledge_id) and self.received_against_pledge() > self.pledge.amount
        )

    def clean(self, *, facts: rules.ContributionFacts | None = None):
        """The rules of ``rules.check_contribution``; ``facts`` (what they need from
        the database) are loaded here when not given. ``contributions_save`` gives
        them, loaded once for a whole set."""
        self.reference = rules.tidy_reference(self.reference)
        if self.year is None and self.received is not None:
            self.year = self.received.year
        if facts is None:
            [facts] = contribution_facts([self])
        rules.check_contribution(self, facts)


def pledge_facts(pledge) -> rules.PledgeFacts:
    """What the rules of ``pledge`` need from the database: the pledge as stored and
    what its contributions say (two queries for a stored pledge, none for a new one).
    """
    if pledge.pk is None:
        return rules.PledgeFacts(
            party_changed=True,
            stored_amount=None,
            received=rules.ZERO,
            other_contributor=False,
            other_currency=False,
        )
    stored = Pledge.objects.filter(pk=pledge.pk).values_list("party_id", "amount")
    stored_party, stored_amount = stored.first() or (None, None)
    contributions = list(
        Contribution.objects.filter(pledge_id=pledge.pk).values_list(
            "party_id", "currency", "amount"
        )
    )
    return rules.PledgeFacts(
        party_changed=stored_party != pledge.party_id,
        stored_amount=stored_amount,
        received=sum((amount for _p, _c, amount in contributions), rules.ZERO),
        other_contributor=any(p != pledge.party_id for p, _c, _a in contributions),
        other_currency=any(c != pledge.currency for _p, c, _a in contributions),
    )


def contribution_facts(contributions) -> list[rules.ContributionFacts]:
    """The facts the rules need for each of ``contributions``, in at most three
    queries however many they are. The contributions count for one another in
    order: of two paying the same pledge, the second sees the first, and of two with
    the same reference, the second finds it taken."""
    today = timezone.localdate()
    in_set = {c.pk for c in contributions if c.pk is not None}
    stored_party = {}
    if in_set:
        stored_party = dict(
            Contribution.objects.filter(pk__in=in_set).values_list("pk", "party_id")
        )
    received = defaultdict(Decimal)
    pledges = {c.pledge_id for c in contributions if c.pledge_id}
    if pledges:
        stored = Contribution.objects.filter(pledge_id__in=pledges)
        for pk, pledge_id, amount in stored.values_list("pk", "pledge_id", "amount"):
            if pk not in in_set:
                received[pledge_id] += amount
    tidied = [rules.tidy_reference(c.reference) for c in contributions]
    references = {
        (c.party_id, reference)
        for c, reference in zip(contributions, tidied, strict=True)
        if c.party_id and reference
    }
    taken = set()
    if references:
        # Compared as the unique constraint compares them: by the database's
        # LOWER(), on both sides. (As SQL: a Lower(Value()) for each of thousands
        # of references takes Django a second to compile.)
        incoming = sorted({r for _p, r in references})
        lowered = RawSQL(", ".join(["LOWER(%s)"] * len(incoming)), incoming)
        stored = (
            Contribution.objects.filter(party_id__in={p for p, _r in references})
            .annotate(lowered=Lower("reference"))
            .filter(lowered__in=lowered)
            .order_by()
        )
        taken = {
            (party, lowered.casefold())
            for pk, party, lowered in stored.values_list("pk", "party_id", "lowered")
            if pk not in in_set
        }
    facts = []
    for contribution, reference in zip(contributions, tidied, strict=True):
        key = (contribution.party_id, reference.casefold())
        facts.append(
            rules.ContributionFacts(
                today=today,
                party_changed=contribution.pk is None
                or stored_party.get(contribution.pk) != contribution.party_id,
                reference_taken=bool(reference) and key in taken,
                received_by_others=received[contribution.pledge_id],
            )
        )
        if reference and contribution.party_id:
            taken.add(key)
        amount = contribution.amount
        # An amount the rules refuse (a float, not a number) counts for nothing.
        if (
            contribution.pledge_id
            and isinstance(amount, Decimal)
            and amount.is_finite()
            and amount > 0
        ):
            received[contribution.pledge_id] += amount
    return facts


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
        # A jump from the previous rate is refused by the services and the admin
        # form, which know whether the clerk confirmed it (``check_jump``).
        rules.check_exchange_rate(self)

    def check_jump(self, *, confirm_jump: bool):
        """``rules.check_rate_jump`` against the rate in force before this one."""
        if self.date is None:
            return
        rules.check_rate_jump(
            self, previous=self.rate_before(), confirm_jump=confirm_jump
        )

    def rate_before(self):
        """The rate of the same pair in force before this one's date, or None."""
        return (
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
