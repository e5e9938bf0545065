"""Valuing amounts in the reporting currency at the rates staff recorded.

A rate is in force from its date until the next rate of the same currency. An amount
is valued at the rate in force on its date (a contribution's received date, a pledge's
date). When no rate is in force, valuation refuses, naming the currency and the date:
it never guesses.
"""

import bisect
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from django.core.exceptions import ValidationError

from . import rules
from .models import ExchangeRate


class MissingRate(ValidationError):
    def __init__(self, currency, date, reporting):
        self.currency, self.date = currency, date
        super().__init__(
            rules.NO_RATE
            % {"currency": currency, "reporting": reporting, "date": date.isoformat()}
        )


@dataclass(frozen=True)
class RateUsed:
    currency: str
    date: datetime.date
    rate: Decimal


@dataclass
class RateBook:
    """All recorded rates of some currencies, loaded in one query, looked up by date."""

    reporting: str
    _dates: dict = field(default_factory=dict)
    _rates: dict = field(default_factory=dict)
    used: set = field(default_factory=set)

    @classmethod
    def load(cls, currencies, *, reporting=None):
        book = cls(reporting=reporting or rules.reporting_currency())
        rates = ExchangeRate.objects.filter(currency__in=set(currencies)).order_by(
            "currency", "date"
        )
        for rate in rates.values_list("currency", "date", "rate"):
            currency, date, value = rate
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
        self.used.add(RateUsed(currency, dates[index], rate))
        return rate

    def value(self, amount, currency, date):
        """``amount`` of ``currency`` on ``date``, in the reporting currency."""
        places = Decimal(1).scaleb(-rules.decimal_places(self.reporting))
        return (amount * self.rate_on(currency, date)).quantize(
            places, rounding=ROUND_HALF_EVEN
        )

    @property
    def rates_used(self):
        return sorted(self.used, key=lambda r: (r.currency, r.date))
