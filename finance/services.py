"""Writes with rules for pledges, contributions and exchange rates.

A contribution is saved alone by ``contribution_save`` (the admin, a command) or with
others by ``contributions_save`` (a spreadsheet of thousands, the generator of
synthetic data): both lock the pledges paid, refuse floats, and decide with the same
rules (``finance.rules``), the set with their facts loaded once for all of it.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cica_admin.core.models import ImportBatch
from cica_admin.core.services import attribute, record_save
from meetings.models import Meeting
from registry.models import Party, PostHolding
from registry.services import party_by_code

from . import rules
from .models import (
    Contribution,
    ContributionKind,
    Earmark,
    ExchangeRate,
    Pledge,
    contribution_facts,
)

#: Rows per INSERT or UPDATE of a set (SQLite caps the parameters of a query).
BATCH_SIZE = 500


class ContributionsRefused(ValidationError):
    """Contributions of a set break the rules; none of the set was written.

    ``by_position`` maps the position in the set of each refused contribution to its
    own ValidationError, field by field as ``full_clean()`` gives it.
    """

    def __init__(self, by_position: dict[int, ValidationError]):
        super().__init__(rules.CONTRIBUTIONS_REFUSED % {"count": len(by_position)})
        self.by_position = by_position


def _refuse_float(**values):
    # Django would quietly turn a float into a Decimal: 0.1 typed as a float would be
    # stored as 0.1000000000000000055511151231257827, rounded. Refuse it instead.
    for field, value in values.items():
        if isinstance(value, float):
            raise ValidationError({field: rules.FLOAT_AMOUNT})


def _party(party: Party | str) -> Party:
    return party if isinstance(party, Party) else party_by_code(party)


def _lock_pledges(pledge_ids) -> set:
    """Lock the pledges until the end of the transaction, so that two writers
    cannot each record the last payment of one pledge (PostgreSQL; SQLite serializes
    writes anyway); in the order of their keys, so that two sets cannot deadlock.
    Returns the keys of those that exist."""
    pledge_ids = {pk for pk in pledge_ids if pk is not None}
    if not pledge_ids:
        return set()
    locked = Pledge.objects.select_for_update().filter(pk__in=pledge_ids)
    return set(locked.order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def contribution_save(
    contribution: Contribution, *, actor=None, reason: str = ""
) -> Contribution:
    """Validate and save a contribution; its pledge is locked first."""
    _refuse_float(amount=contribution.amount)
    _lock_pledges([contribution.pledge_id])
    return record_save(contribution, actor=actor, reason=reason)


@transaction.atomic
def contributions_check(contributions: Sequence[Contribution]) -> None:
    """Validate a set of contributions as ``contribution_save`` validates one, and
    write nothing: their pledges are locked (until the caller's transaction ends),
    floats refused, and every contribution checked with its fields, its relations,
    ``clean()`` and its unique fields, with the facts its rules need loaded once for
    the set (a few queries however many contributions there are). The rules say
    what the database constraints say, with the same messages; the constraints
    themselves are held by the database when the set is written.

    Raises ContributionsRefused, naming every contribution refused."""
    refused = {}
    contributions = list(contributions)
    for position, contribution in enumerate(contributions):
        try:
            _refuse_float(amount=contribution.amount)
        except ValidationError as error:
            refused[position] = error  # and nothing more, as contribution_save
    locked = _lock_pledges(c.pledge_id for c in contributions)
    checked = [p for p in range(len(contributions)) if p not in refused]
    candidates = [contributions[position] for position in checked]
    errors = {position: {} for position in checked}
    # Fields first: they tidy the values the facts are looked up by.
    relations = [f for f in Contribution._meta.concrete_fields if f.is_relation]
    for field in Contribution._meta.concrete_fields:
        if field.is_relation:
            known = locked if field.name == "pledge" else None
            found = _relation_errors(candidates, field, known)
        else:
            found = _field_errors(candidates, field)
        for index, messages in found.items():
            errors[checked[index]][field.name] = messages
    facts = contribution_facts(contributions)
    unique_fields = _has_unique_fields(Contribution)
    for position in checked:
        contribution = contributions[position]
        # The rules read the related records: not with one that does not exist.
        if not any(f.name in errors[position] for f in relations):
            try:
                contribution.clean(facts=facts[position])
            except ValidationError as error:
                error.update_error_dict(errors[position])
        if unique_fields:
            failed = {name for name in errors[position] if name != NON_FIELD_ERRORS}
            try:
                contribution.validate_unique(exclude=failed)
            except ValidationError as error:
                error.update_error_dict(errors[position])
        if errors[position]:
            refused[position] = ValidationError(errors[position])
    if refused:
        raise ContributionsRefused(dict(sorted(refused.items())))


def _has_unique_fields(model) -> bool:
    """Whether ``validate_unique()`` has anything to check of a record: a unique
    field besides the primary key (which a new record has not yet, and a stored one
    keeps), or fields unique together. (A contribution has none, and the call costs
    a tenth of the check of a set.)"""
    meta = model._meta
    return bool(meta.unique_together) or any(
        (field.unique and not field.primary_key)
        or field.unique_for_date
        or field.unique_for_month
        or field.unique_for_year
        for field in meta.concrete_fields
    )


def _field_errors(records, field) -> dict[int, list]:
    """What ``clean_fields()`` says of ``field`` for each record (its messages, by
    position), each value cleaned as ``clean_fields()`` cleans it. A value several
    records share (a currency, a date, an empty note) is cleaned once: a field's
    rules depend on the value alone (a relation's on the database: see below)."""
    errors, outcomes = {}, {}
    for position, record in enumerate(records):
        value = getattr(record, field.attname)
        if field.blank and value in field.empty_values:
            continue
        # The value's text, not the value: 1.0 and 1.00 are equal amounts, but not
        # to the number of decimal places a field allows.
        key = (type(value), str(value))
        if key not in outcomes:
            try:
                outcomes[key] = field.clean(value, record)
            except ValidationError as error:
                outcomes[key] = error
        outcome = outcomes[key]
        if isinstance(outcome, ValidationError):
            errors[position] = list(outcome.error_list)
        else:
            setattr(record, field.attname, outcome)
    return errors


def _relation_errors(records, field, known=None) -> dict[int, list]:
    """What ``clean_fields()`` says of the foreign key ``field`` for each record,
    with one query for the whole set (none if ``known``, the keys that exist, is
    given) instead of one for each record."""
    values = [getattr(record, field.attname) for record in records]
    wanted = {value for value in values if value not in field.empty_values}
    if known is None and wanted:
        target = field.target_field.attname
        found = field.related_model._base_manager.filter(**{f"{target}__in": wanted})
        known = set(found.order_by().values_list(target, flat=True))
    errors = {}
    for position, value in enumerate(values):
        if value in field.empty_values:
            if field.blank:
                continue
            code = "null" if value is None and not field.null else "blank"
            error = ValidationError(field.error_messages[code], code=code)
        elif value not in known:
            error = ValidationError(
                field.error_messages["invalid"],
                code="invalid",
                params={
                    "model": field.related_model._meta.verbose_name,
                    "pk": value,
                    "field": field.remote_field.field_name,
                    "value": value,
                },
            )
        else:
            continue
        errors[position] = [error]
    return errors


@transaction.atomic
def contributions_save(
    contributions: Sequence[Contribution],
    *,
    actor=None,
    reason: str = "",
    batch: ImportBatch | None = None,
    update_fields: Sequence[str] | None = None,
) -> list[Contribution]:
    """Validate and save a set of contributions, new and stored, all or none: checked
    as ``contributions_check`` does, then written in bulk with their history (tagged
    with ``batch``, the import that writes them). ``update_fields``: the fields that
    changed in the stored ones (all, if not given).

    If the database refuses the set all the same (a constraint no rule foresaw, or a
    contribution another writer recorded meanwhile), each contribution is checked
    against the constraints to name those refused. Raises ContributionsRefused."""
    contributions = list(contributions)
    contributions_check(contributions)
    new = [c for c in contributions if c._state.adding]
    stored = [c for c in contributions if not c._state.adding]
    history = {
        "batch_size": BATCH_SIZE,
        "default_user": actor,
        "default_change_reason": reason,
        "custom_historical_attrs": {"import_batch": batch},
    }
    keys = [c.pk for c in new]
    try:
        with transaction.atomic():
            # Stored ones first: a reference one of them gives up is free for a new
            # one.
            if stored:
                fields = update_fields or [
                    f.name
                    for f in Contribution._meta.concrete_fields
                    if not f.primary_key
                ]
                bulk_update_with_history(stored, Contribution, fields, **history)
            if new:
                bulk_create_with_history(new, Contribution, **history)
    except IntegrityError:
        for contribution, key in zip(new, keys, strict=True):
            contribution.pk, contribution._state.adding = key, True
        refused = {}
        for position, contribution in enumerate(contributions):
            try:
                contribution.validate_constraints()
            except ValidationError as error:
                refused[position] = error
        if not refused:
            raise
        raise ContributionsRefused(refused) from None
    return contributions


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


@transaction.atomic
def exchange_rate_save(
    rate: ExchangeRate,
    *,
    confirm_jump: bool = False,
    actor=None,
    reason: str = "",
) -> ExchangeRate:
    """Validate and save a rate. A rate five times above or below the one in force
    before it is refused unless ``confirm_jump`` (the clerk confirms it moved so
    much)."""
    _refuse_float(rate=rate.rate)
    rate.full_clean()
    rate.check_jump(confirm_jump=confirm_jump)
    attribute(rate, actor=actor, reason=reason)
    rate.save()
    return rate


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
    return exchange_rate_save(exchange_rate, confirm_jump=confirm_jump, actor=actor)
