"""Report builders for the registry: plain data for HTML, PDF, xlsx and charts."""

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef
from django.utils import timezone

from cica_admin.core.dates import Precision

from .models import (
    ChairmanshipTerm,
    HorizonKind,
    Party,
    PostHolding,
    RecordHorizon,
    SeatEvent,
    StandingChange,
    Status,
    launch_date,
)
from .rules import MEMBERSHIP
from .selectors import Gap, Roster, chairmanship_gaps, changes_between, roster_on


@dataclass
class RegisterReport:
    """Members and observers on ``on``; with ``since``, the changes from then to
    ``on``."""

    roster: Roster
    since: datetime.date | None = None
    changes: list = field(default_factory=list)  # StandingChange

    @property
    def on(self):
        return self.roster.date

    @property
    def horizon(self):
        return self.roster.horizon


def register(on: datetime.date | None = None, since: datetime.date | None = None):
    on = on or timezone.localdate()
    changes = list(changes_between(since, on)) if since else []
    return RegisterReport(roster=roster_on(on), since=since, changes=changes)


@dataclass
class TimelineRow:
    """A term, or a stretch with no chair recorded (``term`` None)."""

    start: datetime.date
    end: datetime.date | None
    term: ChairmanshipTerm | None = None
    gap_of: Gap | None = None

    @property
    def gap(self):
        return self.term is None


def chairmanship_timeline(today: datetime.date | None = None) -> list[TimelineRow]:
    """Every chairmanship term in order, with the gaps between them. Two queries."""
    terms = ChairmanshipTerm.objects.select_related("party", "extends__party")
    rows = [TimelineRow(t.start, t.end, t) for t in terms.order_by("start")]
    rows += [
        TimelineRow(gap.start, gap.end, gap_of=gap) for gap in chairmanship_gaps(today)
    ]
    return sorted(rows, key=lambda row: (row.start, row.gap))


@dataclass
class SecretariatReport:
    seat: list  # SeatEvent in date order
    posts: list  # (Post, [PostHolding])


def secretariat() -> SecretariatReport:
    """Where the Secretariat sat and who held its posts, over time. Two queries."""
    holdings = PostHolding.objects.select_related("post", "nationality").order_by(
        "post__rank", "post__title", "start", "holder_name"
    )
    posts = {}
    for holding in holdings:
        posts.setdefault(holding.post, []).append(holding)
    return SecretariatReport(
        seat=list(SeatEvent.objects.order_by("date")), posts=list(posts.items())
    )


@dataclass(frozen=True)
class MembershipYear:
    year: int
    members: int
    observers: int
    joined: tuple  # names of the parties that became members that year (accessions)
    founded: tuple = ()  # names of the founding members, in the year of the launch
    #: Parties whose change to member or observer may or may not have happened by the
    #: end of the year (dated only loosely, or not at all): not counted above.
    members_uncertain: int = 0
    observers_uncertain: int = 0
    beyond_horizon: bool = False  # the year ends after the record's horizon

    @property
    def observers_at_most(self):
        return self.observers + self.observers_uncertain

    @property
    def members_at_most(self):
        return self.members + self.members_uncertain


def _uncertain_at(changes, day):
    """The changes of ``changes`` that may or may not have happened by ``day``: what
    ``StandingChangeQuerySet.uncertain_on`` selects, over rows already loaded."""
    dated_known = {c.party_id for c in changes if c.known_from and c.known_from <= day}
    return [
        change
        for change in changes
        if (change.known_from is None and change.party_id not in dated_known)
        or (
            change.known_from is not None
            and change.known_from > day
            and (change.precision == Precision.BEFORE or change.date <= day)
        )
    ]


def membership_by_year(today: datetime.date | None = None) -> list[MembershipYear]:
    """Members and observers at the end of each year since the first change recorded
    (this year: today), who became a member in each year, and how many more may have
    been members or observers by then. Four queries: every year's status is one
    subquery column of the same query.

    A change known only to its year counts from 31 December of it (see
    ``cica_admin.core.dates``), so it shows in the right year; a change that may not
    have happened by the end of a year (dated "on or before" a later day, or not at
    all) is counted apart, as uncertain. The founding members are founders, not
    accessions: they are members on the day of the launch.
    """
    today = today or timezone.localdate()
    changes = list(StandingChange.objects.select_related("party"))
    dated = [c.known_from for c in changes if c.known_from is not None]
    if not dated:
        return []
    first_day = min(dated)
    days = {
        year: min(datetime.date(year, 12, 31), today)
        for year in range(min(first_day.year, launch_date().year), today.year + 1)
    }
    columns = {
        f"y{year}": StandingChange.objects.status_subquery(party=OuterRef("pk"), on=day)
        for year, day in days.items()
    }
    statuses = Party.objects.annotate(**columns).values("pk", *columns)
    counts = {year: {Status.MEMBER: 0, Status.OBSERVER: 0} for year in days}
    unsettled = {year: _uncertain_at(changes, day) for year, day in days.items()}
    unsettled_parties = {
        year: {c.party_id for c in found} for year, found in unsettled.items()
    }
    for row in statuses:
        for year in days:
            status = row[f"y{year}"]
            if status in MEMBERSHIP:  # a suspended member is still a member
                status = Status.MEMBER
            if status in counts[year] and row["pk"] not in unsettled_parties[year]:
                counts[year][status] += 1
    founders = set(Party.objects.founding().values_list("pk", flat=True))
    launch = launch_date()
    joined, founded = {}, {}
    admissions = sorted(
        (c for c in changes if c.status == Status.MEMBER and c.known_from),
        key=lambda c: (c.known_from, c.party.name),
    )
    for change in admissions:
        if change.party_id in founders and change.known_from <= launch:
            founded.setdefault(launch.year, []).append(change.party.name)
        else:
            joined.setdefault(change.known_from.year, []).append(change.party.name)
    horizon = RecordHorizon.objects.filter(kind=HorizonKind.STANDING).first()
    return [
        MembershipYear(
            year=year,
            members=counts[year][Status.MEMBER],
            observers=counts[year][Status.OBSERVER],
            joined=tuple(joined.get(year, ())),
            founded=tuple(founded.get(year, ())),
            members_uncertain=len(
                {c.party_id for c in unsettled[year] if c.status in MEMBERSHIP}
            ),
            observers_uncertain=len(
                {c.party_id for c in unsettled[year] if c.status == Status.OBSERVER}
            ),
            beyond_horizon=horizon is not None and day > horizon.date,
        )
        for year, day in days.items()
    ]
