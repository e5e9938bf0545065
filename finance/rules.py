"""The rules of finance and their messages."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from moneyed import CurrencyDoesNotExist, get_currency

AMOUNT_NOT_POSITIVE = _("The amount must be more than zero.")
UNKNOWN_CURRENCY = _("“%(code)s” is not an ISO 4217 currency code.")
TOO_MANY_DECIMALS = _(
    "%(currency)s has %(places)d decimal place(s); this amount has more."
)
FLOAT_AMOUNT = _("Amounts are exact decimals, never floating-point numbers.")
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


def amount_errors(amount, currency):
    """The message refusing ``amount`` in ``currency``, or None."""
    if isinstance(amount, float):
        return FLOAT_AMOUNT
    if amount is None:
        return None
    if amount <= 0:
        return AMOUNT_NOT_POSITIVE
    try:
        places = decimal_places(currency)
    except CurrencyDoesNotExist:
        return None  # reported on the currency field
    if Decimal(amount).as_tuple().exponent < -places and amount != amount.quantize(
        Decimal(1).scaleb(-places)
    ):
        return TOO_MANY_DECIMALS % {"currency": currency, "places": places}
    return None
