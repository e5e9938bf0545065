import datetime

import pytest
from django.core.cache import cache

from cica_admin.core.services import record_save
from meetings.models import Delegation, Level
from tests.factories import (
    MeetingFactory,
    OrganizationFactory,
    StandingChangeFactory,
    StateFactory,
    member,
)

MEETING_DAY = datetime.date(2010, 6, 8)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Dashboard charts are cached by the state of the history; tests roll that back.
    cache.clear()
    yield
    cache.clear()


def delegate(meeting, party, **fields):
    return record_save(Delegation(meeting=meeting, party=party, **fields))


def synthetic_meeting(delegations: int, *, complete=True, tag=""):
    """A meeting on 8 Jun 2010 with ``delegations`` member delegations present, one
    member excused, two members absent, an observer state, an observer organization,
    a state that became a member only after the meeting (so an observer there) and a
    guest. Every member and observer comes from the standing timeline. ``tag`` tells
    the parties of two such meetings apart."""
    meeting = MeetingFactory(start=MEETING_DAY, attendance_complete=complete)
    present = [member(name=f"Present {i:02d}{tag}") for i in range(delegations)]
    for index, state in enumerate(present):
        delegate(
            meeting,
            state,
            level=Level.MINISTER,
            head_name=f"Head {index:02d}",
            head_title="Minister of Foreign Affairs",
        )
    excused = member(name=f"Excused State{tag}")
    delegate(meeting, excused, present=False)
    member(name=f"Absent One{tag}")
    member(name=f"Absent Two{tag}")
    observer = StateFactory(name=f"Observer State{tag}")
    StandingChangeFactory(
        party=observer, status="observer", date=datetime.date(2006, 1, 1)
    )
    delegate(meeting, observer, level=Level.AMBASSADOR)
    organization = OrganizationFactory(
        name=f"Observer Organization{tag}", acronym=f"OBSO{tag}"
    )
    StandingChangeFactory(
        party=organization, status="observer", date=datetime.date(2006, 1, 1)
    )
    delegate(meeting, organization)
    later = StateFactory(name=f"Later Member{tag}")
    StandingChangeFactory(
        party=later, status="observer", date=datetime.date(2008, 1, 1)
    )
    StandingChangeFactory(party=later, status="member", date=datetime.date(2014, 5, 20))
    delegate(meeting, later)
    guest = StateFactory(name=f"Guest State{tag}", in_asia=False)
    delegate(meeting, guest)
    return meeting
