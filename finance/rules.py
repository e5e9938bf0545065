"""The rules of finance and their messages.

The rules are functions of a record and the facts they need beyond it (what a pledge
has received, whether a reference is taken, the rate in force before), passed as
arguments: they look nothing up but the related records the record holds (its party,
its pledge). A model's ``clean()`` loads the facts for its one record; the set-based
service ``contributions_check`` loads them once for a whole set. Either way the same
functions decide, with the same messages.
"""

import datetime
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from moneyed import CurrencyDoesNotExist, get_currency

from cica_admin.core.dates import format_partial
from registry.models import PartyKind

from .choices import ContributionKind, Earmark

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
CONTRIBUTIONS_REFUSED = ngettext_lazy(
    "%(count)s contribution breaks the rules; none of them was recorded.",
    "%(count)s contributions break the rules; none of them was recorded.",
    "count",
)


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


# -- facts: what the rules need to know beyond the record itself ----------------


class ContributionFacts(NamedTuple):
    """What the rules of one contribution need from the database and the clock.
    (A tuple: thousands are made for a file, and a tuple is made fastest.)"""

    #: The day the rules take as today (in the Secretariat's time zone).
    today: datetime.date
    #: A new contribution, or a stored one given another contributor.
    party_changed: bool
    #: Another contribution of the same contributor has this reference (capitals
    #: aside), stored or earlier in the same set.
    reference_taken: bool
    #: What its pledge has received from other contributions, stored or earlier in
    #: the same set.
    received_by_others: Decimal


class PledgeFacts(NamedTuple):
    """What the rules of one pledge need from the database."""

    #: A new pledge, or a stored one given another party.
    party_changed: bool
    #: Its amount as stored; None for a new pledge.
    stored_amount: Decimal | None
    #: What its contributions have received.
    received: Decimal
    #: A contribution of another party fulfils it.
    other_contributor: bool
    #: A contribution in another currency fulfils it.
    other_currency: bool


# -- the rules -------------------------------------------------------------------


def tidy_reference(reference):
    """A reference as stored: runs of spaces as one, none around it."""
    return " ".join((reference or "").split())


def check_money_record(record, *, party_changed):
    """The rules every pledge and contribution obey."""
    message = amount_errors(record.amount, record.currency)
    if message:
        raise ValidationError({"amount": message})
    if record.earmark == Earmark.MEETING and not record.meeting_id:
        raise ValidationError({"meeting": MEETING_EARMARK_NEEDS_MEETING})
    if record.earmark == Earmark.PROJECT and not record.project:
        raise ValidationError({"project": PROJECT_EARMARK_NEEDS_PROJECT})
    # Checked when the contributor is chosen, so that turning the setting on does
    # not lock the organizations' existing rows.
    if (
        settings.CICA_CONTRIBUTIONS_FROM_STATES_ONLY
        and record.party_id
        and party_changed
        and record.party.kind != PartyKind.STATE
    ):
        raise ValidationError({"party": STATES_ONLY})


def check_pledge(pledge, facts: PledgeFacts):
    check_money_record(pledge, party_changed=facts.party_changed)
    if (
        pledge.year_to is not None
        and pledge.year is not None
        and pledge.year_to < pledge.year
    ):
        raise ValidationError({"year_to": YEAR_ORDER})
    # Editing a pledge must keep its contributions valid.
    if facts.other_contributor:
        raise ValidationError({"party": PLEDGE_HAS_OTHER_CONTRIBUTOR})
    if facts.other_currency:
        raise ValidationError({"currency": PLEDGE_HAS_OTHER_CURRENCY})
    # A confirmed overpayment may leave a pledge below what it received; it may not
    # be cut further.
    reduced = (
        facts.stored_amount is not None
        and pledge.amount is not None
        and pledge.amount < facts.stored_amount
    )
    if reduced and facts.received > pledge.amount:
        raise ValidationError(
            {
                "amount": PLEDGE_BELOW_RECEIVED
                % {"received": format_money(facts.received, pledge.currency)}
            }
        )


def check_contribution(contribution, facts: ContributionFacts):
    check_money_record(contribution, party_changed=facts.party_changed)
    if contribution.received and contribution.received > facts.today:
        raise ValidationError(
            {
                "received": RECEIVED_IN_FUTURE
                % {"today": format_partial(facts.today, "day")}
            }
        )
    # The database constraint says the same; checked here as well so that the
    # message stands beside the field instead of above the form.
    if contribution.party_id and contribution.reference and facts.reference_taken:
        raise ValidationError({"reference": DUPLICATE_REFERENCE})
    _check_covers(contribution)
    _check_pledge(contribution, facts.received_by_others)


def _check_covers(contribution):
    if contribution.covers_id is None:
        return
    if contribution.kind != ContributionKind.IN_KIND:
        raise ValidationError({"covers": COVERS_ONLY_IN_KIND})
    covers = contribution.covers
    if contribution.party_id and covers.nationality_id not in (
        None,
        contribution.party_id,
    ):
        raise ValidationError(
            {"covers": COVERS_OTHER_NATIONALITY % {"state": covers.nationality}}
        )


def _check_pledge(contribution, received_by_others):
    amount = contribution.amount
    if not contribution.pledge_id or amount is None or amount <= 0:
        return
    pledge = contribution.pledge
    if pledge.synthetic and not contribution.synthetic:
        raise ValidationError({"pledge": REAL_AGAINST_SYNTHETIC})
    if contribution.party_id and pledge.party_id != contribution.party_id:
        raise ValidationError(
            {"pledge": PLEDGE_OF_OTHER_PARTY % {"party": pledge.party}}
        )
    if pledge.currency != contribution.currency:
        raise ValidationError(
            {"currency": PLEDGE_OTHER_CURRENCY % {"currency": pledge.currency}}
        )
    received = received_by_others + amount
    if received > pledge.amount and not contribution.overpayment_confirmed:
        raise ValidationError(
            {
                "overpayment_confirmed": OVERPAYS_PLEDGE
                % {
                    "received": format_money(received, contribution.currency),
                    "pledged": format_money(pledge.amount, pledge.currency),
                }
            }
        )


def check_exchange_rate(rate):
    if rate.currency == rate.quote:
        raise ValidationError(
            {"currency": RATE_OF_REPORTING_CURRENCY % {"currency": rate.currency}}
        )
    if rate.rate is not None and (not rate.rate.is_finite() or rate.rate <= 0):
        raise ValidationError({"rate": RATE_NOT_POSITIVE})


def check_rate_jump(rate, *, previous, confirm_jump: bool):
    """Refuse a rate five times above or below ``previous`` (the rate in force
    before it, or None), unless ``confirm_jump``: most often a rate typed the wrong
    way round (KZT per USD instead of USD per KZT)."""
    if confirm_jump or previous is None or not rate.date:
        return
    if not rate.rate or not rate.rate.is_finite():
        return  # refused by check_exchange_rate
    ratio = rate.rate / previous.rate
    if ratio > 5 or ratio < Decimal("0.2"):
        raise ValidationError(
            {
                "rate": RATE_JUMP
                % {
                    "currency": rate.currency,
                    "quote": rate.quote,
                    "previous": previous.rate.normalize(),
                    "date": format_partial(previous.date, "day"),
                }
            }
        )
