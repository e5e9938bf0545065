"""Finance builders: plain data for the admin, the PDF and xlsx reports, the commands.

Every total in the reporting currency says which rates it used; a missing rate makes
the builder refuse (``valuation.MissingRate``) rather than guess.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from registry.models import Party

from .models import Contribution, ContributionKind, Pledge
from .valuation import MissingRate, RateBook

ZERO = Decimal(0)


def _by_currency():
    return defaultdict(lambda: ZERO)


@dataclass
class StatementYear:
    year: int
    pledges: list = field(default_factory=list)
    contributions: list = field(default_factory=list)
    pledged: dict = field(default_factory=_by_currency)  # currency -> amount
    received: dict = field(default_factory=_by_currency)
    pledged_value: Decimal = ZERO  # in the reporting currency
    cash_value: Decimal = ZERO
    in_kind_value: Decimal = ZERO

    @property
    def received_value(self):
        return self.cash_value + self.in_kind_value

    @property
    def balance(self):
        """What remains pledged and not yet received, per currency."""
        currencies = set(self.pledged) | set(self.received)
        return {c: self.pledged[c] - self.received[c] for c in sorted(currencies)}

    @property
    def balance_value(self):
        return self.pledged_value - self.received_value


@dataclass
class Statement:
    party: Party
    reporting: str
    years: list
    rates_used: list
    synthetic: bool

    @property
    def totals(self):
        return {
            "pledged": sum((y.pledged_value for y in self.years), ZERO),
            "cash": sum((y.cash_value for y in self.years), ZERO),
            "in_kind": sum((y.in_kind_value for y in self.years), ZERO),
            "balance": sum((y.balance_value for y in self.years), ZERO),
        }


def party_statement(party: Party, *, include_synthetic=True) -> Statement:
    """Pledges, contributions and the balance per year, for one party.

    A pledge counts for its first year; a contribution for the year it says it counts
    for. Pledges are valued at the rate on their date, contributions at the rate on
    the day they were received. Three queries.
    """
    pledges = list(_visible(Pledge.objects.filter(party=party), include_synthetic))
    contributions = list(
        _visible(Contribution.objects.filter(party=party), include_synthetic)
    )
    book = RateBook.load([x.currency for x in [*pledges, *contributions]])
    years = {}
    for pledge in pledges:
        line = years.setdefault(pledge.year, StatementYear(pledge.year))
        line.pledges.append(pledge)
        line.pledged[pledge.currency] += pledge.amount
        line.pledged_value += book.value(pledge.amount, pledge.currency, pledge.date)
    for contribution in contributions:
        line = years.setdefault(contribution.year, StatementYear(contribution.year))
        line.contributions.append(contribution)
        line.received[contribution.currency] += contribution.amount
        value = book.value(
            contribution.amount, contribution.currency, contribution.received
        )
        if contribution.kind == ContributionKind.IN_KIND:
            line.in_kind_value += value
        else:
            line.cash_value += value
    return Statement(
        party=party,
        reporting=book.reporting,
        years=[years[year] for year in sorted(years)],
        rates_used=book.rates_used,
        synthetic=any(x.synthetic for x in [*pledges, *contributions]),
    )


@dataclass
class TableRow:
    party: Party
    cash: dict = field(default_factory=_by_currency)  # year -> value
    in_kind: dict = field(default_factory=_by_currency)

    def total(self, year=None):
        if year is None:
            return sum(self.cash.values(), ZERO) + sum(self.in_kind.values(), ZERO)
        return self.cash[year] + self.in_kind[year]


@dataclass
class YearPartyTable:
    reporting: str
    years: list
    rows: list
    rates_used: list
    synthetic: bool

    @property
    def grand_total(self):
        return sum((row.total() for row in self.rows), ZERO)

    def year_total(self, year):
        return sum((row.total(year) for row in self.rows), ZERO)

    def share(self, row):
        """The party's share of all contributions in the table, as a fraction."""
        total = self.grand_total
        return row.total() / total if total else ZERO


def year_party_table(years=None, *, include_synthetic=True) -> YearPartyTable:
    """Contributions per party and year in the reporting currency, cash and in kind
    apart, with totals and each party's share. Two queries."""
    contributions = _visible(
        Contribution.objects.select_related("party"), include_synthetic
    )
    if years:
        contributions = contributions.filter(year__in=years)
    contributions = list(contributions)
    book = RateBook.load(c.currency for c in contributions)
    rows = {}
    for contribution in contributions:
        row = rows.setdefault(contribution.party_id, TableRow(contribution.party))
        value = book.value(
            contribution.amount, contribution.currency, contribution.received
        )
        column = (
            row.in_kind if contribution.kind == ContributionKind.IN_KIND else row.cash
        )
        column[contribution.year] += value
    table_years = sorted(years or {c.year for c in contributions})
    return YearPartyTable(
        reporting=book.reporting,
        years=table_years,
        rows=sorted(rows.values(), key=lambda row: (-row.total(), row.party.name)),
        rates_used=book.rates_used,
        synthetic=any(c.synthetic for c in contributions),
    )


@dataclass(frozen=True)
class OutstandingPledge:
    pledge: Pledge
    received: Decimal
    outstanding: Decimal
    age_days: int


def outstanding_pledges(on: datetime.date | None = None, *, include_synthetic=True):
    """Pledges not fully received by ``on`` (today), oldest first, with their age in
    days since they were made. Contributions count in the pledge's currency. Two
    queries."""
    on = on or timezone.localdate()
    pledges = _visible(
        Pledge.objects.filter(date__lte=on).select_related("party"), include_synthetic
    )
    received = defaultdict(lambda: ZERO)
    rows = Contribution.objects.filter(pledge__in=pledges, received__lte=on)
    for pledge_id, amount in rows.values_list("pledge_id", "amount"):
        received[pledge_id] += amount
    result = []
    for pledge in pledges.order_by("date", "party__name"):
        outstanding = pledge.amount - received[pledge.pk]
        if outstanding > 0:
            result.append(
                OutstandingPledge(
                    pledge=pledge,
                    received=received[pledge.pk],
                    outstanding=outstanding,
                    age_days=(on - pledge.date).days,
                )
            )
    return result


def _visible(queryset, include_synthetic):
    return queryset if include_synthetic else queryset.filter(synthetic=False)


@dataclass
class Totals:
    """Totals of a list of amounts: per currency, and in the reporting currency when
    every rate is recorded (else ``missing`` says which rate is not)."""

    by_currency: dict
    reporting: str
    value: Decimal | None
    missing: str = ""
    rates_used: list = field(default_factory=list)
    count: int = 0


def totals(queryset, *, date_field) -> Totals:
    """Totals of the pledges or contributions in ``queryset`` (e.g. a filtered admin
    list). Two queries whatever the number of rows; amounts stay Decimal throughout."""
    rows = list(queryset.order_by().values_list("amount", "currency", date_field))
    by_currency = _by_currency()
    for amount, currency, _date in rows:
        by_currency[currency] += amount
    book = RateBook.load(by_currency)
    try:
        value = sum((book.value(a, c, d) for a, c, d in rows), ZERO)
        missing = ""
    except MissingRate as error:
        value, missing = None, error.messages[0]
    return Totals(
        by_currency=dict(sorted(by_currency.items())),
        reporting=book.reporting,
        value=value,
        missing=missing,
        rates_used=book.rates_used,
        count=len(rows),
    )
