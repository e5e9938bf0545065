"""The rules of finance and their messages."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from moneyed import CurrencyDoesNotExist, get_currency

ZERO = Decimal(0)
AMOUNT_NOT_POSITIVE = _("The amount must be more than zero.")
NOT_A_NUMBER = _("The amount must be a number.")
NOT_A_CURRENCY = _("“%(code)s” is a fund, metal or test code, not a currency.")
PLEDGE_HAS_OTHER_CONTRIBUTOR = _(
    "Contributions of another party fulfil this pledge; it cannot change its party."
)
PLEDGE_HAS_OTHER_CURRENCY = _(
    "Contributions in its currency fulfil this pledge; it cannot change currency."
)
PLEDGE_BELOW_RECEIVED = _(
    "%(received)s has already been received against this pledge; it cannot be less."
)
COVERS_ONLY_IN_KIND = _("Only a contribution in kind covers a post.")
COVERS_OTHER_NATIONALITY = _("That post is held by a national of %(state)s.")
REAL_AGAINST_SYNTHETIC = _(
    "This pledge is synthetic (made up): a real contribution cannot fulfil it."
)
RATE_JUMP = _(
    "This is more than five times above or below the rate in force from %(date)s "
    "(1 %(currency)s = %(previous)s %(quote)s). Is it the wrong way round? Choose how "
    "the rate is quoted, or tick “confirm this rate” if it really moved so much."
)
DUPLICATE_RATE = _("A rate of this currency is already recorded for this date.")
UNKNOWN_CURRENCY = _("“%(code)s” is not an ISO 4217 currency code.")
TOO_MANY_DECIMALS = _(
    "%(currency)s has %(places)d decimal place(s); this amount has more."
)
FLOAT_AMOUNT = _("Amounts are exact decimals, never floating-point numbers.")
# ISO 4217 codes that are not money a state pays in.
NOT_CURRENCIES = {
    "XAG", "XAU", "XPD", "XPT", "XBA", "XBB", "XBC", "XBD", "XDR", "XSU", "XUA",
    "XTS", "XXX",
}  # fmt: skip
RECEIVED_IN_FUTURE = _(
    "A contribution cannot be received in the future (today is %(today)s)."
)
OVERPAYS_PLEDGE = _(
    "With this contribution %(received)s would be received against a pledge of "
    "%(pledged)s. Tick “overpayment confirmed” to record it all the same."
)
PLEDGE_OF_OTHER_PARTY = _("The pledge was made by %(party)s, not by this contributor.")
PLEDGE_OTHER_CURRENCY = _(
    "The pledge is in %(currency)s; record the contribution that fulfils it in the "
    "same currency."
)
DUPLICATE_REFERENCE = _(
    "This contributor already has a contribution with this reference."
)
STATES_ONLY = _("Only states may contribute (setting CONTRIBUTIONS_FROM_STATES_ONLY).")
RATE_NOT_POSITIVE = _("An exchange rate must be more than zero.")
RATE_OF_REPORTING_CURRENCY = _(
    "%(currency)s is the reporting currency: its rate is always 1."
)
NO_RATE = _(
    "No exchange rate of %(currency)s to %(reporting)s is recorded on or before "
    "%(date)s. Record one under Finance › Exchange rates."
)
YEAR_ORDER = _("The period cannot end before it starts.")
MEETING_EARMARK_NEEDS_MEETING = _("Name the meeting the money is earmarked for.")
PROJECT_EARMARK_NEEDS_PROJECT = _("Name the project the money is earmarked for.")


def reporting_currency():
    return settings.CICA_REPORTING_CURRENCY


def validate_currency(code):
    if code in NOT_CURRENCIES:
        raise ValidationError(NOT_A_CURRENCY, params={"code": code})
    try:
        get_currency(code)
    except CurrencyDoesNotExist as exc:
        raise ValidationError(UNKNOWN_CURRENCY, params={"code": code}) from exc


def decimal_places(code):
    """Minor-unit places of a currency: 2 for USD, 0 for JPY, 3 for BHD."""
    sub_unit = get_currency(code).sub_unit or 1
    return len(str(sub_unit)) - 1


def format_money(amount, currency):
    """'1,100,000.00 KZT': the amount to its currency's minor unit, then the code."""
    try:
        places = decimal_places(currency)
    except CurrencyDoesNotExist:
        places = 2
    return f"{amount:,.{places}f} {currency}"


def format_amounts(by_currency):
    """``{currency: amount}`` as one line, e.g. ``1,000.00 KZT; 50.00 USD``."""
    return "; ".join(format_money(a, c) for c, a in by_currency.items() if a)


def amount_errors(amount, currency):
    """The message refusing ``amount`` in ``currency``, or None."""
    if amount is None:
        return None
    if not amount.is_finite():
        return NOT_A_NUMBER
    if amount <= 0:
        return AMOUNT_NOT_POSITIVE
    try:
        places = decimal_places(currency)
    except CurrencyDoesNotExist:
        return None  # reported on the currency field
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        return TOO_MANY_DECIMALS % {"currency": currency, "places": places}
    return None
