"""Finance builders: plain data for the admin, the PDF and xlsx reports, the commands.

Every total in the reporting currency says which rates it used; a missing rate makes
the builder refuse (``valuation.MissingRate``) rather than guess. Synthetic rows are
left out unless asked for, and a result that includes any says so (``synthetic``).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from registry.models import Party

from .models import Contribution, ContributionKind, Pledge
from .rules import ZERO, format_money
from .valuation import MissingRate, Valuer


def _by_currency():
    # Decimal() is zero. Not a lambda: the dashboard caches these tables, and the
    # cache pickles them.
    return defaultdict(Decimal)


@dataclass
class StatementLine:
    """One year, or the years a pledge spans: what was pledged and received for it.

    ``pledged_value`` and ``received`` values are at the rates of their own dates;
    the balance is kept per currency, and valued once, at the statement's date.
    """

    first_year: int
    last_year: int
    pledges: list = field(default_factory=list)
    contributions: list = field(default_factory=list)
    pledged: dict = field(default_factory=_by_currency)  # currency -> amount
    received: dict = field(default_factory=_by_currency)
    pledged_value: Decimal = ZERO
    cash_value: Decimal = ZERO
    in_kind_value: Decimal = ZERO
    balance_value: Decimal = ZERO

    @property
    def period(self):
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}-{self.last_year}"

    @property
    def received_value(self):
        return self.cash_value + self.in_kind_value

    @property
    def balance(self):
        """Pledged less received, per currency: what remains to be paid (negative:
        received beyond the pledges, e.g. contributions in kind)."""
        currencies = set(self.pledged) | set(self.received)
        return {
            c: self.pledged.get(c, ZERO) - self.received.get(c, ZERO)
            for c in sorted(currencies)
        }


@dataclass
class Statement:
    party: Party
    on: datetime.date
    reporting: str
    lines: list
    rates_used: list
    synthetic: bool

    @property
    def totals(self):
        return {
            "pledged": sum((line.pledged_value for line in self.lines), ZERO),
            "cash": sum((line.cash_value for line in self.lines), ZERO),
            "in_kind": sum((line.in_kind_value for line in self.lines), ZERO),
            "balance": sum((line.balance_value for line in self.lines), ZERO),
        }


def _periods(pledges):
    """Merge the year spans of ``pledges`` where they overlap: [(first, last)]."""
    spans = sorted((p.year, p.year_to or p.year) for p in pledges)
    merged = []
    for first, last in spans:
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def party_statement(
    party: Party, *, on: datetime.date | None = None, include_synthetic=False
) -> Statement:
    """Pledges, contributions and the balance for one party, by year or pledge period.

    A pledge over several years makes one line for all of them, with every
    contribution counted for any of those years. Pledges are valued at the rate on
    their date, contributions at the rate on the day they were received; the balance,
    kept per currency, is valued at the rates in force on ``on`` (today). Queries:
    pledges, contributions, and at most two rate loads.
    """
    on = on or timezone.localdate()
    pledges = [p for p in party.pledges.filter(date__lte=on)]
    contributions = [c for c in party.contributions.filter(received__lte=on)]
    if not include_synthetic:
        pledges = [p for p in pledges if not p.synthetic]
        contributions = [c for c in contributions if not c.synthetic]
    lines = {span: StatementLine(*span) for span in _periods(pledges)}

    def line_for(year):
        for (first, last), line in lines.items():
            if first <= year <= last:
                return line
        return lines.setdefault((year, year), StatementLine(year, year))

    rows = [*pledges, *contributions]
    synthetic = any(x.synthetic for x in rows)
    # Balances are valued at real rates, unless the statement holds nothing real.
    balance_at_synthetic = bool(rows) and all(x.synthetic for x in rows)
    needs = [(p.currency, p.date, p.synthetic) for p in pledges]
    needs += [(c.currency, c.received, c.synthetic) for c in contributions]
    needs += [(x.currency, on, balance_at_synthetic) for x in rows]
    valuer = Valuer(needs)
    for pledge in pledges:
        line = line_for(pledge.year)
        line.pledges.append(pledge)
        line.pledged[pledge.currency] += pledge.amount
        line.pledged_value += valuer.value(
            pledge.amount, pledge.currency, pledge.date, synthetic=pledge.synthetic
        )
    for contribution in contributions:
        line = line_for(contribution.year)
        line.contributions.append(contribution)
        line.received[contribution.currency] += contribution.amount
        value = valuer.value(
            contribution.amount,
            contribution.currency,
            contribution.received,
            synthetic=contribution.synthetic,
        )
        if contribution.kind == ContributionKind.IN_KIND:
            line.in_kind_value += value
        else:
            line.cash_value += value
    for line in lines.values():
        line.balance_value = sum(
            (
                valuer.value(amount, currency, on, synthetic=balance_at_synthetic)
                for currency, amount in line.balance.items()
                if amount
            ),
            ZERO,
        )
    return Statement(
        party=party,
        on=on,
        reporting=valuer.reporting,
        lines=[lines[span] for span in sorted(lines)],
        rates_used=valuer.rates_used,
        synthetic=synthetic,
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


def year_party_table(years=None, *, include_synthetic=False) -> YearPartyTable:
    """Contributions per party and year in the reporting currency (each at the rate
    of its received date), cash and in kind apart, with totals and each party's share.
    One query for the contributions, one per kind of rates."""
    contributions = _visible(
        Contribution.objects.select_related("party"), include_synthetic
    )
    if years:
        contributions = contributions.filter(year__in=years)
    contributions = list(contributions)
    valuer = Valuer((c.currency, c.received, c.synthetic) for c in contributions)
    rows = {}
    for contribution in contributions:
        row = rows.setdefault(contribution.party_id, TableRow(contribution.party))
        value = valuer.value(
            contribution.amount,
            contribution.currency,
            contribution.received,
            synthetic=contribution.synthetic,
        )
        column = (
            row.in_kind if contribution.kind == ContributionKind.IN_KIND else row.cash
        )
        column[contribution.year] += value
    return YearPartyTable(
        reporting=valuer.reporting,
        years=sorted(years or {c.year for c in contributions}),
        rows=sorted(rows.values(), key=lambda row: (-row.total(), row.party.name)),
        rates_used=valuer.rates_used,
        synthetic=any(c.synthetic for c in contributions),
    )


@dataclass(frozen=True)
class PledgeBalance:
    pledge: Pledge
    received: Decimal
    outstanding: Decimal  # negative: overpaid
    age_days: int


def outstanding_pledges(on: datetime.date | None = None, *, include_synthetic=False):
    """Pledges not fully received by ``on`` (today), oldest first, with their age in
    days since they were made. Contributions count in the pledge's currency."""
    return [b for b in _pledge_balances(on, include_synthetic) if b.outstanding > 0]


def overpaid_pledges(on: datetime.date | None = None, *, include_synthetic=False):
    """Pledges that received more than was pledged (each overpayment was confirmed by
    a clerk when it was recorded), the excess as a negative ``outstanding``."""
    return [b for b in _pledge_balances(on, include_synthetic) if b.outstanding < 0]


def _pledge_balances(on, include_synthetic):
    """Two queries."""
    on = on or timezone.localdate()
    pledges = _visible(
        Pledge.objects.filter(date__lte=on).select_related("party"), include_synthetic
    )
    received = _by_currency()
    rows = Contribution.objects.filter(pledge__in=pledges, received__lte=on)
    for pledge_id, amount in rows.values_list("pledge_id", "amount"):
        received[pledge_id] += amount
    return [
        PledgeBalance(
            pledge=pledge,
            received=received[pledge.pk],
            outstanding=pledge.amount - received[pledge.pk],
            age_days=(on - pledge.date).days,
        )
        for pledge in pledges.order_by("date", "party__name")
    ]


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
    synthetic_count: int = 0
    #: Every row of the list is synthetic, so the totals are of synthetic rows.
    synthetic_only: bool = False

    @property
    def lines(self):
        """(currency, amount as a clerk reads it), for display."""
        return [(c, format_money(a, c)) for c, a in self.by_currency.items()]

    @property
    def value_display(self):
        return (
            format_money(self.value, self.reporting) if self.value is not None else ""
        )


def totals(queryset, *, date_field) -> Totals:
    """Totals of the pledges or contributions in ``queryset`` (e.g. a filtered admin
    list). Real rows only, when there are any: synthetic rows are counted apart and
    totalled only when the list holds nothing else. At most three queries whatever the
    number of rows; amounts stay Decimal."""
    rows = list(
        queryset.order_by().values_list("amount", "currency", date_field, "synthetic")
    )
    synthetic_count = sum(1 for row in rows if row[3])
    synthetic_only = bool(rows) and synthetic_count == len(rows)
    if not synthetic_only:
        rows = [row for row in rows if not row[3]]
    by_currency = _by_currency()
    for amount, currency, _date, _synthetic in rows:
        by_currency[currency] += amount
    valuer = Valuer((c, d, s) for _a, c, d, s in rows)
    try:
        value = sum((valuer.value(a, c, d, synthetic=s) for a, c, d, s in rows), ZERO)
        missing = ""
    except MissingRate as error:
        value, missing = None, error.messages[0]
    return Totals(
        by_currency=dict(sorted(by_currency.items())),
        reporting=valuer.reporting,
        value=value,
        missing=missing,
        rates_used=valuer.rates_used,
        count=len(rows),
        synthetic_count=synthetic_count,
        synthetic_only=synthetic_only,
    )
