"""Writes with rules for pledges, contributions and exchange rates."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from registry.models import Party
from registry.services import record_save

from . import rules
from .models import Contribution, ContributionKind, Earmark, ExchangeRate, Pledge


def _refuse_float(**values):
    # Django would quietly turn a float into a Decimal; an amount typed as 0.1 must
    # not become 0.1000000000000000055511151231257827.
    for field, value in values.items():
        if isinstance(value, float):
            raise ValidationError({field: rules.FLOAT_AMOUNT})


@transaction.atomic
def contribution_save(
    contribution: Contribution, *, actor=None, reason=""
) -> Contribution:
    """Validate and save a contribution. The pledge it fulfils is locked first, so
    two clerks cannot each record the last payment of the same pledge."""
    _refuse_float(amount=contribution.amount)
    if contribution.pledge_id:
        Pledge.objects.select_for_update().filter(pk=contribution.pledge_id).first()
    return record_save(contribution, actor=actor, reason=reason)


def contribution_record(
    *,
    party: Party,
    amount: Decimal,
    currency: str,
    received: datetime.date,
    year: int | None = None,
    kind: str = ContributionKind.CASH,
    earmark: str = Earmark.GENERAL,
    pledge: Pledge | None = None,
    overpayment_confirmed: bool = False,
    reference: str = "",
    note: str = "",
    actor=None,
    reason: str = "",
    **extra,
) -> Contribution:
    contribution = Contribution(
        party=party,
        amount=amount,
        currency=currency,
        received=received,
        year=year if year is not None else received.year,
        kind=kind,
        earmark=earmark,
        pledge=pledge,
        overpayment_confirmed=overpayment_confirmed,
        reference=reference,
        note=note,
        **extra,
    )
    return contribution_save(contribution, actor=actor, reason=reason)


def pledge_save(pledge: Pledge, *, actor=None, reason="") -> Pledge:
    _refuse_float(amount=pledge.amount)
    return record_save(pledge, actor=actor, reason=reason)


def pledge_record(
    *,
    party: Party,
    amount: Decimal,
    currency: str,
    year: int,
    date: datetime.date,
    year_to: int | None = None,
    earmark: str = Earmark.GENERAL,
    basis: str = "",
    note: str = "",
    actor=None,
    reason: str = "",
    **extra,
) -> Pledge:
    pledge = Pledge(
        party=party,
        amount=amount,
        currency=currency,
        year=year,
        year_to=year_to,
        date=date,
        earmark=earmark,
        basis=basis,
        note=note,
        **extra,
    )
    return pledge_save(pledge, actor=actor, reason=reason)


def exchange_rate_save(rate: ExchangeRate, *, actor=None, reason="") -> ExchangeRate:
    _refuse_float(rate=rate.rate)
    return record_save(rate, actor=actor, reason=reason)


def exchange_rate_record(
    *, currency: str, date: datetime.date, rate: Decimal, source: str = "", actor=None
) -> ExchangeRate:
    return exchange_rate_save(
        ExchangeRate(currency=currency, date=date, rate=rate, source=source),
        actor=actor,
    )
