"""Every write to the registry that carries a rule goes through here.

The admin, the importers and the management commands call these functions; each
validates with ``full_clean()`` (which runs the model's rules and constraints) inside a
transaction, so a refused write leaves nothing behind.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from cica_admin.core.dates import Precision, known_by
from cica_admin.core.services import record_delete, record_save

from . import rules
from .models import ChairmanshipTerm, Party, PartyKind, StandingChange


def party_by_code(code: str) -> Party:
    """The party with this natural key (alpha-3 code or acronym), or a clear refusal."""
    try:
        return Party.objects.get_by_natural_key(code)
    except Party.DoesNotExist as exc:
        raise ValidationError(rules.NOT_A_PARTY % {"code": code}) from exc


def party_create(
    *,
    kind: str,
    name: str = "",
    country: str = "",
    acronym: str = "",
    in_asia: bool = False,
    note: str = "",
    source: str = "",
    actor=None,
    reason: str = "",
) -> Party:
    party = Party(
        kind=kind,
        name=name,
        country=country,
        acronym=acronym,
        in_asia=in_asia if kind == PartyKind.STATE else False,
        note=note,
        source=source,
    )
    return record_save(party, actor=actor, reason=reason)


@transaction.atomic
def standing_change_save(
    change: StandingChange, *, actor=None, reason: str = ""
) -> StandingChange:
    """Validate ``change`` against the party's whole timeline and save it.

    The party row is locked first so that two clerks recording changes for the same
    party cannot each validate against a timeline that lacks the other's change.
    """
    Party.objects.select_for_update().filter(pk=change.party_id).first()
    # None for a new change, and for one restored from the history.
    stored = StandingChange.objects.filter(pk=change.pk).first() if change.pk else None
    if stored is not None and stored.party_id != change.party_id:
        # Moving a change to another party takes it out of the first timeline.
        errors = standing_deletion_errors(stored)
        if errors:
            raise ValidationError({"party": errors})
    standing_change_check(change)
    return record_save(change, actor=actor, reason=reason)


def standing_change_check(change: StandingChange) -> None:
    """Refuse ``change`` if its fields, its constraints or its party's timeline with
    it break a rule: what ``standing_change_save`` checks, for a page that asks
    before saving (a decision's form checks the changes it will cause)."""
    change.full_clean()
    errors = standing_change_errors(change)
    if errors:
        raise ValidationError({"status": errors})


def standing_change_errors(change: StandingChange) -> list[str]:
    """Why ``change`` would leave its party's timeline illegal, as stored with it
    (empty: it would not). Messages about a later change say which."""
    others = list(change.party.standing_changes.exclude(pk=change.pk))
    change.known_from = known_by(change.date, change.precision, change.date_latest)
    if rules.duplicate_dates([*others, change]):
        return []  # the constraints say so, beside the date
    terms = list(change.party.chairmanship_terms.all())
    return [
        message
        if later is change or later is None
        else rules.BREAKS_LATER_CHANGE % {"date": later.when, "message": message}
        for later, message in rules.standing_errors(
            change.party, [*others, change], terms
        )
    ]


def standing_change_record(
    *,
    party: Party,
    status: str,
    date: datetime.date | None,
    precision: str = Precision.DAY,
    date_latest: datetime.date | None = None,
    basis: str = "",
    source: str = "",
    note: str = "",
    actor=None,
    reason: str = "",
) -> StandingChange:
    change = StandingChange(
        party=party,
        status=status,
        date=date,
        precision=precision,
        date_latest=date_latest,
        basis=basis,
        source=source,
        note=note,
    )
    return standing_change_save(change, actor=actor, reason=reason)


def standing_timeline_errors(party, *, kept, deleted=()):
    """What is wrong with ``party``'s timeline once ``kept`` (new or edited rows) are
    saved and ``deleted`` removed, with the stored rows neither names (a row another
    clerk has added meanwhile): ``[(change or None, field, message)]``.

    The party page's formset asks this while validating, and the service again
    before it writes, so both judge the same timeline."""
    touched = {change.pk for change in [*kept, *deleted] if change.pk}
    untouched = list(party.standing_changes.exclude(pk__in=touched)) if party.pk else []
    for change in kept:
        change.known_from = known_by(change.date, change.precision, change.date_latest)
    timeline = [*untouched, *kept]
    duplicates = rules.duplicate_dates(timeline)
    if duplicates:
        return [(change, "date", message) for change, message in duplicates]
    if _saving_order(kept) is None:
        return [(None, "date", rules.DATES_EXCHANGED)]
    terms = list(party.chairmanship_terms.all()) if party.pk else []
    return [
        (change, "status", message)
        for change, message in rules.standing_errors(party, timeline, terms)
    ]


def _saving_order(changes):
    stored = dict(
        StandingChange.objects.filter(
            pk__in=[change.pk for change in changes if change.pk]
        ).values_list("pk", "date")
    )
    return rules.saving_order(changes, stored)


@transaction.atomic
def standing_timeline_save(
    *,
    party: Party,
    changed: list[StandingChange],
    deleted: list[StandingChange] = (),
    actor=None,
    reason: str = "",
) -> None:
    """Save several edits to one party's timeline, checking the result as a whole.

    Used by the party page, where a clerk may correct several rows in one save; each
    intermediate state need not be legal, only the timeline that results.
    """
    Party.objects.select_for_update().filter(pk=party.pk).first()
    for change in changed:
        change.party = party
    errors = standing_timeline_errors(party, kept=changed, deleted=deleted)
    if errors:
        fields = {}
        for change, field, message in errors:
            fields.setdefault(field, []).append(
                f"{change.when}: {message}" if change else str(message)
            )
        raise ValidationError(fields)
    # Deletions first: a row deleted and one re-added on the same date must not meet;
    # then each row once the date it takes is free.
    for change in deleted:
        record_delete(change, actor=actor, reason=reason)
    for change in _saving_order(changed):
        record_save(change, actor=actor, reason=reason)


def standing_deletion_errors(change: StandingChange) -> list[str]:
    """Why deleting ``change`` would leave an illegal timeline (empty: it would not)."""
    remaining = list(change.party.standing_changes.exclude(pk=change.pk))
    terms = list(change.party.chairmanship_terms.all())
    return [
        rules.BREAKS_LATER_CHANGE % {"date": later.when, "message": message}
        if later
        else message
        for later, message in rules.standing_errors(change.party, remaining, terms)
    ]


@transaction.atomic
def standing_change_delete(
    change: StandingChange, *, actor=None, reason: str = ""
) -> None:
    Party.objects.select_for_update().filter(pk=change.party_id).first()
    errors = standing_deletion_errors(change)
    if errors:
        raise ValidationError(errors)
    record_delete(change, actor=actor, reason=reason)


def chairmanship_term_create(
    *,
    party: Party,
    start: datetime.date,
    start_precision: str = Precision.DAY,
    start_latest: datetime.date | None = None,
    planned_end: datetime.date | None = None,
    planned_end_precision: str = Precision.DAY,
    actual_end: datetime.date | None = None,
    actual_end_precision: str = Precision.DAY,
    actual_end_latest: datetime.date | None = None,
    extends: ChairmanshipTerm | None = None,
    basis: str = "",
    source: str = "",
    note: str = "",
    actor=None,
    reason: str = "",
) -> ChairmanshipTerm:
    term = ChairmanshipTerm(
        party=party,
        start=start,
        start_precision=start_precision,
        start_latest=start_latest,
        planned_end=planned_end,
        planned_end_precision=planned_end_precision,
        actual_end=actual_end,
        actual_end_precision=actual_end_precision,
        actual_end_latest=actual_end_latest,
        extends=extends,
        basis=basis,
        source=source,
        note=note,
    )
    return chairmanship_term_save(term, actor=actor, reason=reason)


@transaction.atomic
def chairmanship_term_save(
    term: ChairmanshipTerm, *, actor=None, reason: str = ""
) -> ChairmanshipTerm:
    """Validate and save a term. Overlaps are refused by ``clean()`` on every database
    and, on PostgreSQL, also by an exclusion constraint should two saves race."""
    return record_save(term, actor=actor, reason=reason)
