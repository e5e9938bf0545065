"""The rules of standing, in one place.

Model ``clean()`` methods, the inline formset on the party page, the services, the
importers and the commands all call these functions, so every way in refuses the same
thing with the same words. Messages are constants: tests assert them.
"""

from django.utils.translation import gettext_lazy as _

from .dates import Precision, format_partial

# Status values are spelled here (not imported from models) to keep this module free
# of model imports; models.Status uses the same strings.
MEMBER, OBSERVER, SUSPENDED, WITHDRAWN, NONE = (
    "member",
    "observer",
    "suspended",
    "withdrawn",
    "none",
)

MEMBER_OUTSIDE_ASIA = _(
    "Only a state with territory at least partly in Asia can be a member; "
    "%(party)s is not recorded as one."
)
ALREADY_MEMBER = _("%(party)s is already a member on %(date)s.")
ALREADY_HAS_STATUS = _("%(party)s already has the status “%(status)s” on %(date)s.")
SUSPEND_NON_MEMBER = _(
    "Only a member can be suspended; %(party)s is not a member on %(date)s."
)
OBSERVER_FOR_MEMBER = _(
    "%(party)s is a member on %(date)s; a member cannot be given observer status."
)
REINSTATE_ONLY = _(
    "%(party)s is a suspended member on %(date)s: it can only be reinstated "
    "(status “member”) or withdraw."
)
WITHDRAW_NON_MEMBER = _(
    "Only a member or a suspended member can withdraw; %(party)s is not one on "
    "%(date)s."
)
END_NON_OBSERVER = _(
    "“No standing” ends an observer status; %(party)s is not an observer on %(date)s."
)
BREAKS_LATER_CHANGE = _("This would make the change of %(date)s illegal: %(message)s")
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
    "The chair must be a member state; %(party)s is not a member on %(date)s."
)
END_BEFORE_START = _("The end must be after the start.")
EXTENSION_OF_OTHER_STATE = _("An extension continues a term of the same state.")
EXTENSION_BEFORE_TERM = _(
    "An extension starts when the term it extends ends (%(end)s), not before."
)

_STATUS_LABELS = {
    MEMBER: _("member"),
    OBSERVER: _("observer"),
    SUSPENDED: _("suspended member"),
    WITHDRAWN: _("withdrawn"),
    NONE: _("no standing"),
}


def transition_error(party, previous, new, on):
    """Return the message refusing ``previous -> new`` for ``party`` on ``on``, or None.

    ``on`` is the change's (date, precision), used only in the message.
    """
    values = {
        "party": party,
        "date": format_partial(*on) if on else _("that date"),
        "status": _STATUS_LABELS.get(new, new),
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

    Undated changes ("date not known") come first: all that is known of them is that
    they happened.
    """
    undated = [c for c in changes if c.known_from is None]
    dated = sorted(
        (c for c in changes if c.known_from is not None),
        key=lambda c: (c.known_from, c.date),
    )
    errors = []
    previous = NONE
    for change in [*undated, *dated]:
        on = (
            (change.date, change.precision)
            if change.precision != Precision.UNKNOWN
            else None
        )
        message = transition_error(party, previous, change.status, on)
        if message:
            errors.append((change, message))
        previous = change.status
    return errors
