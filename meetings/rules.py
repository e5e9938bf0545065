"""The rules of meetings, documents and decisions, in one place.

Model ``clean()`` methods, the inline formsets, the services, the importers and the
loader call these functions, so every way in refuses the same thing with the same
words. Messages are constants: tests assert them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cica_admin.core.dates import Precision, known_by, on_partial
from registry.rules import Status

END_BEFORE_START = _("The meeting cannot end before it starts.")
INCOMPLETE_NEEDS_REASON = _(
    "Say why the record of this body's meetings is known to be incomplete."
)
ONE_DELEGATION_PER_PARTY = _("This party already has a delegation at this meeting.")
CHAIR_NOT_MEMBER = _(
    "%(party)s is not a member %(on)s: only a member state can chair a meeting."
)
ONE_CHAIR_ROLE_PER_PARTY = _("This party already chairs this meeting.")
RATIFIED_BEFORE_SIGNED = _(
    "%(party)s signed this document %(signed_on)s; it cannot have ratified it earlier "
    "(%(on)s)."
)
SIGNED_AFTER_RATIFIED = _(
    "%(party)s ratified this document %(on)s; it cannot have signed it later "
    "(%(signed_on)s)."
)
PREFILL_NEEDS_DAY = _(
    "This meeting is dated only “%(when)s”: the members and observers of its day are "
    "not known. Add its delegations by hand."
)
PREFILL_NOTHING = _(
    "%(meeting)s: every member and observer of that day is already listed."
)
PREFILL_UNCERTAIN = _(
    "%(meeting)s: not added, as the record cannot tell their standing on the meeting "
    "date: %(parties)s. Add them by hand if they attended."
)
HELD_IN_FUTURE = _("A meeting that starts after today cannot have been held yet.")
ADMISSION_NEEDS_PARTY = _(
    "Name the party this decision admits or grants observer status, or pick the "
    "change of standing it caused."
)
ONE_ACTION_PER_PARTY = _("This party already has this action on this document.")
AMENDS_ITSELF = _("A document cannot amend or supersede itself.")
AMENDMENT_CYCLE = _(
    "This would make a cycle: %(chain)s. A document cannot, through others, amend "
    "itself."
)
COUNTERPART_NOT_ORGANIZATION = _("The counterpart of a memorandum is an organization.")
DECISION_AT_MEETING_NEEDS_MEETING = _(
    "A decision taken at a meeting names the meeting."
)
PARTY_ONLY_FOR_STANDING = _(
    "Only an admission or an observer status changes a party's standing."
)
SILENCE_NEEDS_DEADLINE = _("A silence procedure has a deadline.")
SILENCE_HAS_NO_MEETING = _("A decision by silence procedure is not taken at a meeting.")


class ActionKind(models.TextChoices):
    SIGNATURE = "signature", _("signature")
    RATIFICATION = "ratification", _("ratification")
    ACCESSION = "accession", _("accession")
    APPROVAL = "approval", _("approval")
    ENTRY_INTO_FORCE = "entry_into_force", _("entry into force")


class DecisionKind(models.TextChoices):
    ADMISSION = "admission", _("admission of a member")
    OBSERVER_STATUS = "observer_status", _("observer status")
    CHAIRMANSHIP = "chairmanship", _("chairmanship")
    ADOPTION = "adoption", _("adoption of a document")
    OTHER = "other", _("other")


def chair_error(party, meeting):
    """Why ``party`` may not chair ``meeting`` (not a member on its first day)."""
    if meeting.start is None or party.status_on(meeting.start) == Status.MEMBER:
        return None
    return CHAIR_NOT_MEMBER % {
        "party": party,
        "on": on_partial(meeting.start, meeting.start_precision),
    }


def _earliest_day(action):
    """The first day the action can have happened; None when only a bound is known."""
    if action.date is None or action.precision == Precision.BEFORE:
        return None
    return action.date


def action_order_errors(actions):
    """``[(action, message)]`` for ratifications dated before the same party's
    signature of the same document. Dates are compared by what is certain: the last
    day a ratification can have happened against the first day of the signature."""
    errors = []
    by_party = {}
    for action in actions:
        if action.date is not None:
            by_party.setdefault(action.party_id, {})[action.action] = action
    for acts in by_party.values():
        signature = acts.get(ActionKind.SIGNATURE)
        ratification = acts.get(ActionKind.RATIFICATION)
        if not (signature and ratification):
            continue
        signed = _earliest_day(signature)
        if (
            signed is None
            or known_by(ratification.date, ratification.precision) >= signed
        ):
            continue
        values = {
            "party": ratification.party,
            "on": on_partial(ratification.date, ratification.precision),
            "signed_on": on_partial(signature.date, signature.precision),
        }
        errors.append((ratification, RATIFIED_BEFORE_SIGNED % values))
        errors.append((signature, SIGNED_AFTER_RATIFIED % values))
    return errors


#: The decisions that change a party's standing, and the status each gives.
STATUS_OF_DECISION = {
    DecisionKind.ADMISSION: Status.MEMBER,
    DecisionKind.OBSERVER_STATUS: Status.OBSERVER,
}


def decision_parties_error(kind, *, is_new, parties, standing_changes):
    """Why the parties named with a decision cannot stand, or None: only an admission
    or an observer status names parties, and a new one names them or the changes of
    standing it caused."""
    changes_standing = kind in STATUS_OF_DECISION
    if parties and not changes_standing:
        return PARTY_ONLY_FOR_STANDING
    if changes_standing and is_new and not parties and not standing_changes:
        return ADMISSION_NEEDS_PARTY
    return None
