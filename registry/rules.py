"""The rules of standing, in one place.

Model ``clean()`` methods, the inline formset on the party page, the services, the
importers and the commands all call these functions, so every way in refuses the same
thing with the same words. Messages are constants: tests assert them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cica_admin.core.dates import Precision, on_partial


class Status(models.TextChoices):
    MEMBER = "member", _("member")
    OBSERVER = "observer", _("observer")
    SUSPENDED = "suspended", _("suspended member")
    WITHDRAWN = "withdrawn", _("withdrawn")
    NONE = "none", _("no standing")


MEMBER, OBSERVER, SUSPENDED, WITHDRAWN, NONE = Status

#: The statuses of a member of CICA. A suspended member is still a member: it stays
#: in the register, the roster and a meeting's member delegations, shown as suspended.
#: Only chairing asks for a member in good standing (``MEMBER`` alone).
MEMBERSHIP = (MEMBER, SUSPENDED)

MEMBER_OUTSIDE_ASIA = _(
    "Only a state with territory at least partly in Asia can be a member; "
    "%(party)s is not recorded as one."
)
ALREADY_MEMBER = _("%(party)s is already a member %(on)s.")
ALREADY_HAS_STATUS = _("%(party)s already has the status “%(status)s” %(on)s.")
SUSPEND_NON_MEMBER = _(
    "Only a member can be suspended; %(party)s is not a member %(on)s."
)
OBSERVER_FOR_MEMBER = _(
    "%(party)s is a member %(on)s; a member cannot be given observer status."
)
REINSTATE_ONLY = _(
    "%(party)s is a suspended member %(on)s: it can only be reinstated "
    "(status “member”) or withdraw."
)
WITHDRAW_NON_MEMBER = _(
    "Only a member or a suspended member can withdraw; %(party)s is not one %(on)s."
)
END_NON_OBSERVER = _(
    "“No standing” ends an observer status; %(party)s is not an observer %(on)s."
)
BREAKS_LATER_CHANGE = _("This would make the change of %(date)s illegal: %(message)s")
NOT_A_PARTY = _("“%(code)s” is not a party in the registry (alpha-3 code or acronym).")
DUPLICATE_DATE = _("This party already has a change of standing on this date.")
HAS_BEEN_MEMBER = _(
    "%(party)s is recorded as a member in its standing timeline; a member must be a "
    "state with territory at least partly in Asia."
)
CHAIR_TERMS_OVERLAP = _(
    "This term overlaps the term of %(other)s (%(start)s – %(end)s): only one state "
    "chairs CICA at a time."
)
CHAIR_NOT_MEMBER = _(
    "The chair must be a member state; %(party)s is not a member %(on)s."
)
END_BEFORE_START = _("The end must be after the start.")
CHAIR_MUST_STAY_MEMBER = _(
    "%(party)s chairs CICA (%(period)s) and must be a member throughout its term."
)
CHAIR_IS_A_STATE = _("The chair of CICA is a state.")
NATIONALITY_IS_A_STATE = _("A nationality is that of a state.")
CHAIR_GAP = _("No chair is recorded from %(start)s to %(end)s.")
CHAIR_GAP_SINCE = _("No chair is recorded since %(start)s.")
EXTENSION_OF_OTHER_STATE = _("An extension continues a term of the same state.")
EXTENSION_BEFORE_TERM = _(
    "An extension starts when the term it extends ends (%(end)s), not before."
)

STATE_OR_ORGANIZATION = _(
    "A state has a country and no acronym; an organization has an acronym, no "
    "country and no territory."
)
COUNTRY_TAKEN = _("This country is already a party.")
ACRONYM_TAKEN = _("An organization with this acronym exists.")

LATEST_DAY_ONLY_FOR_RANGE = _(
    "A latest possible day goes with the precision “on one of the days”, and after "
    "the first possible day."
)
PAST_HORIZON = _(
    "Beyond the record's horizon: the sources vouch for %(kind)s only up to %(day)s. "
    "What is shown for a later date repeats the last state recorded, which no source "
    "confirms."
)
DATES_EXCHANGED = _(
    "These changes would take each other's dates: change one and save, then the other."
)
ONE_UNDATED_CHANGE = _(
    "This party already has a change whose date is not known; give this one a date."
)


def transition_error(party, previous, new, on):
    """Return the message refusing ``previous -> new`` for ``party`` on ``on``, or None.

    ``on`` is the change's (date, precision, latest day), used only in the message.
    """
    values = {
        "party": party,
        "on": on_partial(*on) if on else _("at that date"),
        "status": Status(new).label,
    }
    if new == MEMBER and not party.may_be_member:
        return MEMBER_OUTSIDE_ASIA % values
    if new == previous:
        message = ALREADY_MEMBER if new == MEMBER else ALREADY_HAS_STATUS
        return message % values
    if previous == SUSPENDED and new not in (MEMBER, WITHDRAWN):
        return REINSTATE_ONLY % values
    if new == SUSPENDED and previous != MEMBER:
        return SUSPEND_NON_MEMBER % values
    if new == OBSERVER and previous == MEMBER:
        return OBSERVER_FOR_MEMBER % values
    if new == WITHDRAWN and previous not in (MEMBER, SUSPENDED):
        return WITHDRAW_NON_MEMBER % values
    if new == NONE and previous != OBSERVER:
        return END_NON_OBSERVER % values
    return None


def timeline_errors(party, changes):
    """Check a whole proposed timeline; return ``[(change, message), ...]``.

    Changes are taken in the order of their dates as entered (a year counts from its
    first day), so "observer 2008" precedes "member 25 Aug 2008". An undated change
    ("date not known", at most one per party) comes first: all that is known of it is
    that it happened.
    """
    undated = [c for c in changes if c.date is None]
    dated = sorted(
        (c for c in changes if c.date is not None),
        key=lambda c: (c.date, c.known_from),
    )
    errors = []
    previous = NONE
    for change in [*undated, *dated]:
        on = (
            (change.date, change.precision, change.date_latest)
            if change.precision != Precision.UNKNOWN
            else None
        )
        message = transition_error(party, previous, change.status, on)
        if message:
            errors.append((change, message))
        previous = change.status
    return errors


def status_in(changes, day):
    """The status ``changes`` give on ``day`` (each counted from its known-by day)."""
    known = [c for c in changes if c.known_from is not None and c.known_from <= day]
    if not known:
        return NONE
    return max(known, key=lambda c: (c.date, c.known_from)).status


def chair_errors(party, changes, terms):
    """Messages for chairmanship terms the timeline would leave without a member chair.

    The chairing state must be a member on the first day of each term and no change
    may take that away before the term ends.
    """
    errors = []
    for term in terms:
        end = term.actual_end or term.planned_end
        inside = [
            c
            for c in changes
            if c.known_from is not None
            and term.start < c.known_from
            and (end is None or c.known_from < end)
        ]
        statuses = [status_in(changes, term.start), *(c.status for c in inside)]
        if any(status != MEMBER for status in statuses):
            errors.append(
                CHAIR_MUST_STAY_MEMBER % {"party": party, "period": term.period}
            )
    return errors


def duplicate_dates(changes):
    """The changes of a proposed timeline dated on a day another one already has, or
    undated where another is undated (``[(change, message)]``).

    Stored changes are kept to one per date by constraints; this finds the clash
    among rows a page or a file is about to write together."""
    seen, duplicates = set(), []
    for change in changes:
        if change.date in seen:
            message = DUPLICATE_DATE if change.date else ONE_UNDATED_CHANGE
            duplicates.append((change, message))
        seen.add(change.date)
    return duplicates


def saving_order(changes, stored_dates):
    """``changes`` in an order that saves each without meeting, on its date, a row
    still stored there under another change of the set (``stored_dates``: the stored
    date of each by primary key); None when two take each other's dates."""
    pending, order = list(changes), []
    while pending:
        held = {
            stored_dates[change.pk]
            for change in pending
            if change.pk in stored_dates and stored_dates[change.pk] != change.date
        }
        ready = [
            change
            for change in pending
            if change.date not in held or stored_dates.get(change.pk) == change.date
        ]
        if not ready:
            return None
        order += ready
        pending = [change for change in pending if change not in ready]
    return order


def standing_errors(party, changes, terms):
    """Everything wrong with a proposed timeline: ``[(change or None, message)]``."""
    return [
        *timeline_errors(party, changes),
        *((None, message) for message in chair_errors(party, changes, terms)),
    ]
