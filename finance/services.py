"""Writes with rules for pledges, contributions and exchange rates."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from cica_admin.core.services import record_save
from meetings.models import Meeting
from registry.models import Party, PostHolding
from registry.services import party_by_code

from . import rules
from .models import Contribution, ContributionKind, Earmark, ExchangeRate, Pledge


def _refuse_float(**values):
    # Django would quietly turn a float into a Decimal: 0.1 typed as a float would be
    # stored as 0.1000000000000000055511151231257827, rounded. Refuse it instead.
    for field, value in values.items():
        if isinstance(value, float):
            raise ValidationError({field: rules.FLOAT_AMOUNT})


def _party(party: Party | str) -> Party:
    return party if isinstance(party, Party) else party_by_code(party)


@transaction.atomic
def contribution_save(
    contribution: Contribution, *, actor=None, reason: str = ""
) -> Contribution:
    """Validate and save a contribution. Its pledge is locked first, so two clerks
    cannot each record the last payment of the same pledge (PostgreSQL; SQLite
    serializes writes anyway)."""
    _refuse_float(amount=contribution.amount)
    if contribution.pledge_id:
        Pledge.objects.select_for_update().filter(pk=contribution.pledge_id).first()
    return record_save(contribution, actor=actor, reason=reason)


def contribution_record(
    *,
    party: Party | str,
    amount: Decimal,
    currency: str,
    received: datetime.date,
    year: int | None = None,
    kind: str = ContributionKind.CASH,
    covers: PostHolding | None = None,
    earmark: str = Earmark.GENERAL,
    meeting: Meeting | None = None,
    project: str = "",
    pledge: Pledge | None = None,
    overpayment_confirmed: bool = False,
    reference: str = "",
    note: str = "",
    actor=None,
    reason: str = "",
) -> Contribution:
    """Record a contribution; ``party`` may be given by its code (KAZ, OSCE)."""
    contribution = Contribution(
        party=_party(party),
        amount=amount,
        currency=currency,
        received=received,
        year=year if year is not None else received.year,
        kind=kind,
        covers=covers,
        earmark=earmark,
        meeting=meeting,
        project=project,
        pledge=pledge,
        overpayment_confirmed=overpayment_confirmed,
        reference=reference,
        note=note,
    )
    return contribution_save(contribution, actor=actor, reason=reason)


@transaction.atomic
def pledge_save(pledge: Pledge, *, actor=None, reason: str = "") -> Pledge:
    """Validate and save a pledge; an edited pledge must keep its contributions
    valid, so it is locked against new ones while it is checked."""
    _refuse_float(amount=pledge.amount)
    if pledge.pk:
        Pledge.objects.select_for_update().filter(pk=pledge.pk).first()
    return record_save(pledge, actor=actor, reason=reason)


def pledge_record(
    *,
    party: Party | str,
    amount: Decimal,
    currency: str,
    year: int,
    date: datetime.date,
    year_to: int | None = None,
    earmark: str = Earmark.GENERAL,
    meeting: Meeting | None = None,
    project: str = "",
    basis: str = "",
    note: str = "",
    actor=None,
    reason: str = "",
) -> Pledge:
    pledge = Pledge(
        party=_party(party),
        amount=amount,
        currency=currency,
        year=year,
        year_to=year_to,
        date=date,
        earmark=earmark,
        meeting=meeting,
        project=project,
        basis=basis,
        note=note,
    )
    return pledge_save(pledge, actor=actor, reason=reason)


def exchange_rate_save(
    rate: ExchangeRate, *, actor=None, reason: str = ""
) -> ExchangeRate:
    _refuse_float(rate=rate.rate)
    return record_save(rate, actor=actor, reason=reason)


def invert_rate(rate: Decimal) -> Decimal:
    """A rate quoted as units of the currency per unit of the reporting currency,
    turned into the stored direction (reporting currency per unit)."""
    return (Decimal(1) / rate).quantize(Decimal("1e-10"))


def exchange_rate_record(
    *,
    currency: str,
    date: datetime.date,
    rate: Decimal,
    source: str = "",
    confirm_jump: bool = False,
    actor=None,
) -> ExchangeRate:
    exchange_rate = ExchangeRate(currency=currency, date=date, rate=rate, source=source)
    exchange_rate.jump_confirmed = confirm_jump
    return exchange_rate_save(exchange_rate, actor=actor)
