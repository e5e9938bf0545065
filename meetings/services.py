"""Writes with rules for meetings, delegations, documents and decisions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from cica_admin.core.dates import Precision, known_by
from cica_admin.core.services import record_delete, record_save
from registry import services as registry_services
from registry.models import Party, StandingChange, Status
from registry.rules import MEMBERSHIP

from . import rules
from .models import (
    PREFILL_SOURCE,
    Decision,
    Delegation,
    Document,
    DocumentAction,
    Meeting,
    Procedure,
)


@transaction.atomic
def delegations_prefill(*, meeting: Meeting, actor=None) -> list[Delegation]:
    """Add a delegation for every member and observer on the meeting's first day.

    Parties that already have a delegation keep it; the new ones are marked present
    with the level not recorded, for the clerk to complete, and carry
    ``PREFILL_SOURCE`` until a clerk confirms them: reports count them apart.
    """
    if meeting.start_precision != Precision.DAY:
        raise ValidationError(rules.PREFILL_NEEDS_DAY % {"when": meeting.when})
    # Locked, so that no delegation is added by another writer between the list of
    # those present and the writes: each party's row is new by construction.
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    present = set(meeting.delegations.values_list("party_id", flat=True))
    # Parties whose standing the record cannot settle on that day are not added;
    # see prefill_uncertain() for the list a clerk should review.
    # (Qatar, an observer, on the first day of the Summit at which it became a
    # member, is one of them.)
    unsettled = StandingChange.objects.uncertain_on(meeting.start).values("party")
    roster = (
        Party.objects.with_status_on(meeting.start)
        .filter(status__in=[*MEMBERSHIP, Status.OBSERVER])
        .exclude(pk__in=unsettled)
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
    for delegation in new:
        # Every field and rule of a delegation, as record_save checks it; the meeting
        # and party exist, and the one-per-party constraint holds under the lock, so
        # those checks, a query per row each, are left out.
        delegation.full_clean(exclude=["meeting", "party"], validate_constraints=False)
    return bulk_create_with_history(
        new,
        Delegation,
        default_user=actor,
        default_change_reason=PREFILL_SOURCE,
    )


def document_action_errors(action: DocumentAction) -> list[str]:
    """Why ``action`` cannot stand beside the same party's other actions on the
    document, as stored (a ratification before the signature)."""
    if not (action.document_id and action.party_id and action.date):
        return []
    others = DocumentAction.objects.filter(
        document_id=action.document_id, party_id=action.party_id
    ).exclude(pk=action.pk)
    return [
        message
        for other, message in rules.action_order_errors([*others, action])
        if other is action
    ]


@transaction.atomic
def document_action_save(
    action: DocumentAction, *, actor=None, reason: str = ""
) -> DocumentAction:
    """Validate ``action`` with the party's other actions on the document, and save
    it. The document row is locked so that two writers cannot each check against
    actions that lack the other's."""
    Document.objects.select_for_update().filter(pk=action.document_id).first()
    action.full_clean()
    errors = document_action_errors(action)
    if errors:
        raise ValidationError({"date": errors})
    return record_save(action, actor=actor, reason=reason)


def document_actions_errors(document, *, kept, deleted=()):
    """``[(action, message)]`` for the order of ``document``'s actions once ``kept``
    are saved and ``deleted`` removed, with the stored actions neither names (one
    another clerk has added meanwhile). The document page's formset asks this while
    validating, and the service again before it writes."""
    touched = {action.pk for action in [*kept, *deleted] if action.pk}
    untouched = list(document.actions.exclude(pk__in=touched)) if document.pk else []
    return rules.action_order_errors([*untouched, *kept])


@transaction.atomic
def document_actions_save(
    *,
    document: Document,
    changed: list[DocumentAction],
    deleted: list[DocumentAction] = (),
    actor=None,
    reason: str = "",
) -> None:
    """Save several edits to a document's actions, checking their order as they
    result: a clerk may correct a signature and a ratification in one save, and
    neither need be in order with the other as stored."""
    Document.objects.select_for_update().filter(pk=document.pk).first()
    for action in changed:
        action.document = document
    errors = document_actions_errors(document, kept=changed, deleted=deleted)
    if errors:
        raise ValidationError({"date": [message for _action, message in errors]})
    for action in deleted:
        record_delete(action, actor=actor, reason=reason)
    for action in changed:
        record_save(action, actor=actor, reason=reason)


def prefill_uncertain(meeting: Meeting) -> list[Party]:
    """Parties the pre-fill leaves out because their standing on the meeting's first
    day is uncertain (a change known only to its year, its month or a range of days
    that may not have happened by then, or undated)."""
    changes = (
        StandingChange.objects.uncertain_on(meeting.start)
        .filter(status__in=[*MEMBERSHIP, Status.OBSERVER])
        .exclude(party__delegations__meeting=meeting)
        .select_related("party")
        .order_by("party__name")
    )
    return list(dict.fromkeys(change.party for change in changes))


STANDING_KINDS = tuple(rules.STATUS_OF_DECISION)


def standing_change_for_decision(decision: Decision, party: Party) -> StandingChange:
    """The (unsaved) change of standing an admission or observer decision causes.

    It takes effect on the decision's date or, failing that, during the meeting: on
    its day, or on one of its days when it lasted several (the Fourth Summit's
    admissions are dated one of 20-21 May 2014, never its first day).
    """
    latest = None
    if decision.date:
        date, precision = decision.date, decision.precision
    elif decision.meeting:
        meeting = decision.meeting
        date, precision = meeting.start, meeting.start_precision
        if precision == Precision.DAY and meeting.end and meeting.end > meeting.start:
            precision = Precision.RANGE
            latest = known_by(meeting.end, meeting.end_precision)
    else:
        date, precision = None, Precision.UNKNOWN
    return StandingChange(
        party=party,
        status=rules.STATUS_OF_DECISION[decision.kind],
        date=date,
        precision=precision,
        date_latest=latest,
        basis=decision.text,
        source=decision.source,
    )


@transaction.atomic
def decision_save(
    decision: Decision,
    *,
    parties=(),
    standing_changes=None,
    actor=None,
    reason: str = "",
) -> Decision:
    """Save a decision and, for an admission or observer status, the change of
    standing it causes for each of ``parties`` (Qatar and Bangladesh were admitted
    together), in one transaction: if the registry refuses any change (a current
    member, a state outside Asia), nothing is left behind.

    ``standing_changes``, when given, are the changes of standing the decision is
    linked to besides those it causes here; None leaves its links as they are.
    """
    parties = list(parties)
    error = rules.decision_parties_error(
        decision.kind,
        is_new=decision.pk is None,
        parties=parties,
        standing_changes=standing_changes,
    )
    if error:
        # Without parties, the changes of standing are what is missing: the column
        # an import names them in.
        raise ValidationError({"parties" if parties else "standing_changes": error})
    caused = [
        registry_services.standing_change_save(
            standing_change_for_decision(decision, party), actor=actor, reason=reason
        )
        for party in parties
    ]
    record_save(decision, actor=actor, reason=reason)
    if standing_changes is not None:
        decision.standing_changes.set([*standing_changes, *caused])
    elif caused:
        decision.standing_changes.add(*caused)
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
