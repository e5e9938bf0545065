"""Valuing amounts in the reporting currency at the rates staff recorded.

A rate is in force from its date until the next rate of the same currency. An amount
is valued at the rate in force on its date (a contribution's received date, a pledge's
date). When no rate is in force, valuation refuses, naming the currency and the date:
it never guesses. Real amounts are valued at real rates only, synthetic amounts at
synthetic rates only.
"""

import bisect
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from django.core.exceptions import ValidationError

from cica_admin.core.dates import format_partial

from . import rules
from .models import ExchangeRate


class MissingRate(ValidationError):
    def __init__(self, currency, date, reporting):
        self.currency, self.date = currency, date
        super().__init__(
            rules.NO_RATE
            % {
                "currency": currency,
                "reporting": reporting,
                "date": format_partial(date, "day"),
            }
        )


@dataclass(frozen=True)
class RateUsed:
    currency: str
    date: datetime.date
    rate: Decimal
    synthetic: bool = False


@dataclass
class RateBook:
    """The rates of some currencies against the reporting currency, real or synthetic,
    loaded in one query and looked up by date."""

    reporting: str
    synthetic: bool = False
    _dates: dict = field(default_factory=dict)
    _rates: dict = field(default_factory=dict)
    used: set = field(default_factory=set)

    @classmethod
    def load(cls, currencies, *, until=None, synthetic=False, reporting=None):
        """Rates of ``currencies`` in force up to ``until`` (all when None)."""
        book = cls(
            reporting=reporting or rules.reporting_currency(), synthetic=synthetic
        )
        currencies = set(currencies) - {book.reporting}
        if not currencies:
            return book
        rates = ExchangeRate.objects.filter(
            currency__in=currencies, quote=book.reporting, synthetic=synthetic
        )
        if until is not None:
            rates = rates.filter(date__lte=until)
        for currency, date, value in rates.order_by("currency", "date").values_list(
            "currency", "date", "rate"
        ):
            book._dates.setdefault(currency, []).append(date)
            book._rates.setdefault(currency, []).append(value)
        return book

    def rate_on(self, currency, date):
        if currency == self.reporting:
            return Decimal(1)
        dates = self._dates.get(currency, [])
        index = bisect.bisect_right(dates, date) - 1
        if index < 0:
            raise MissingRate(currency, date, self.reporting)
        rate = self._rates[currency][index]
        self.used.add(RateUsed(currency, dates[index], rate, self.synthetic))
        return rate

    def value(self, amount, currency, date):
        """``amount`` of ``currency`` on ``date``, in the reporting currency, rounded
        half-even to the reporting currency's minor unit."""
        places = Decimal(1).scaleb(-rules.decimal_places(self.reporting))
        return (amount * self.rate_on(currency, date)).quantize(
            places, rounding=ROUND_HALF_EVEN
        )

    @property
    def rates_used(self):
        return sorted(self.used, key=lambda r: (r.currency, r.date))


class Valuer:
    """Values real rows at real rates and synthetic rows at synthetic rates.

    ``needs`` are (currency, date, synthetic) triples: one query per kind present.
    """

    def __init__(self, needs, *, reporting=None):
        needs = list(needs)
        self.books = {}
        for synthetic in {s for _c, _d, s in needs}:
            mine = [(c, d) for c, d, s in needs if s == synthetic]
            self.books[synthetic] = RateBook.load(
                {c for c, _d in mine},
                until=max(d for _c, d in mine),
                synthetic=synthetic,
                reporting=reporting,
            )
        self.reporting = reporting or rules.reporting_currency()

    def value(self, amount, currency, date, *, synthetic=False):
        book = self.books.get(synthetic)
        if book is None:
            book = self.books[synthetic] = RateBook(self.reporting, synthetic)
        return book.value(amount, currency, date)

    @property
    def rates_used(self):
        return sorted(
            (rate for book in self.books.values() for rate in book.rates_used),
            key=lambda r: (r.synthetic, r.currency, r.date),
        )
