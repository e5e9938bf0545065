"""Writes with rules for meetings, delegations, documents and decisions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from cica_admin.core.dates import Precision
from registry import services as registry_services
from registry.models import Party, StandingChange, Status

from . import rules
from .models import (
    PREFILL_SOURCE,
    Decision,
    DecisionKind,
    Delegation,
    Meeting,
    Procedure,
)

record_save = registry_services.record_save


@transaction.atomic
def delegations_prefill(*, meeting: Meeting, actor=None) -> list[Delegation]:
    """Add a delegation for every member and observer on the meeting's first day.

    Parties that already have a delegation keep it; the new ones are marked present
    with the level not recorded, for the clerk to complete, and carry
    ``PREFILL_SOURCE`` until a clerk confirms them: reports count them apart.
    """
    if meeting.start_precision != Precision.DAY:
        raise ValidationError(rules.PREFILL_NEEDS_DAY % {"when": meeting.when})
    present = set(meeting.delegations.values_list("party_id", flat=True))
    # Parties whose standing the record cannot settle on that day are not added;
    # see prefill_uncertain() for the list a clerk should review.
    roster = Party.objects.with_status_on(meeting.start).filter(
        status__in=[Status.MEMBER, Status.OBSERVER]
    )
    new = [
        Delegation(
            meeting=meeting,
            party=party,
            source=PREFILL_SOURCE,
            note="Pre-filled: check that it attended, and at what level; then give "
            "the source of its attendance in place of this one's.",
        )
        for party in roster
        if party.pk not in present
    ]
    return bulk_create_with_history(
        new,
        Delegation,
        default_user=actor,
        default_change_reason=PREFILL_SOURCE,
    )


def prefill_uncertain(meeting: Meeting) -> list[Party]:
    """Parties the pre-fill leaves out because their standing on the meeting's first
    day is uncertain (a change known only to its year, or undated)."""
    changes = (
        StandingChange.objects.uncertain_on(meeting.start)
        .filter(status__in=[Status.MEMBER, Status.OBSERVER])
        .exclude(party__delegations__meeting=meeting)
        .select_related("party")
        .order_by("party__name")
    )
    return list(dict.fromkeys(change.party for change in changes))


_STATUS_OF_DECISION = {
    DecisionKind.ADMISSION: Status.MEMBER,
    DecisionKind.OBSERVER_STATUS: Status.OBSERVER,
}
STANDING_KINDS = tuple(_STATUS_OF_DECISION)


def standing_change_for_decision(decision: Decision, party: Party) -> StandingChange:
    """The (unsaved) change of standing an admission or observer decision causes.

    It takes effect on the decision's date or, failing that, the meeting's first day.
    """
    if decision.date:
        date, precision = decision.date, decision.precision
    elif decision.meeting:
        date, precision = decision.meeting.start, decision.meeting.start_precision
    else:
        date, precision = None, Precision.UNKNOWN
    return StandingChange(
        party=party,
        status=_STATUS_OF_DECISION[decision.kind],
        date=date,
        precision=precision,
        basis=decision.text,
        source=decision.source,
    )


@transaction.atomic
def decision_save(
    decision: Decision, *, parties=(), actor=None, reason: str = ""
) -> Decision:
    """Save a decision and, for an admission or observer status, the change of
    standing it causes for each of ``parties`` (Qatar and Bangladesh were admitted
    together), in one transaction: if the registry refuses any change (a current
    member, a state outside Asia), nothing is left behind."""
    parties = list(parties)
    if parties and decision.kind not in STANDING_KINDS:
        raise ValidationError({"parties": rules.PARTY_ONLY_FOR_STANDING})
    changes = [
        registry_services.standing_change_save(
            standing_change_for_decision(decision, party), actor=actor, reason=reason
        )
        for party in parties
    ]
    record_save(decision, actor=actor, reason=reason)
    if changes:
        decision.standing_changes.add(*changes)
    decision.caused_changes = changes
    return decision


def decision_record_standing(
    *,
    kind: str,
    party: Party,
    text: str,
    meeting: Meeting | None = None,
    procedure: str = Procedure.MEETING,
    date: datetime.date | None = None,
    precision: str = Precision.DAY,
    source: str = "",
    note: str = "",
    actor=None,
    reason: str = "",
) -> Decision:
    """Record an admission or observer-status decision and the change it causes."""
    decision = Decision(
        kind=kind,
        procedure=procedure,
        meeting=meeting,
        date=date,
        precision=precision,
        text=text,
        source=source,
        note=note,
    )
    return decision_save(decision, parties=[party], actor=actor, reason=reason)
