"""The rules of meetings, documents and decisions, and their messages."""

from django.utils.translation import gettext_lazy as _

END_BEFORE_START = _("The meeting cannot end before it starts.")
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
