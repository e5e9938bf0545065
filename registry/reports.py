"""Report builders for the registry: plain data for HTML, PDF, xlsx and charts."""

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef
from django.utils import timezone

from .models import (
    ChairmanshipTerm,
    Party,
    PostHolding,
    SeatEvent,
    StandingChange,
    Status,
    launch_date,
)
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
    joined: tuple  # names of the parties that became members that year


def membership_by_year(today: datetime.date | None = None) -> list[MembershipYear]:
    """Members and observers at the end of each year since the first change recorded
    (this year: today), and who became a member in each year. Two queries: every
    year's status is one subquery column of the same query.

    A change known only to its year counts from 31 December of it (see
    ``cica_admin.core.dates``), so it shows in the right year; undated ones never count.
    """
    today = today or timezone.localdate()
    first = StandingChange.objects.filter(known_from__isnull=False).order_by(
        "known_from"
    )
    first_day = first.values_list("known_from", flat=True).first()
    if first_day is None:
        return []
    days = {
        year: min(datetime.date(year, 12, 31), today)
        for year in range(min(first_day.year, launch_date().year), today.year + 1)
    }
    columns = {
        f"y{year}": StandingChange.objects.status_subquery(party=OuterRef("pk"), on=day)
        for year, day in days.items()
    }
    statuses = Party.objects.annotate(**columns).values(*columns)
    counts = {year: {Status.MEMBER: 0, Status.OBSERVER: 0} for year in days}
    for row in statuses:
        for year in days:
            status = row[f"y{year}"]
            if status in counts[year]:
                counts[year][status] += 1
    joined = {}
    admissions = (
        StandingChange.objects.filter(status=Status.MEMBER, known_from__isnull=False)
        .select_related("party")
        .order_by("known_from", "party__name")
    )
    for change in admissions:
        joined.setdefault(change.known_from.year, []).append(change.party.name)
    return [
        MembershipYear(
            year=year,
            members=counts[year][Status.MEMBER],
            observers=counts[year][Status.OBSERVER],
            joined=tuple(joined.get(year, ())),
        )
        for year in days
    ]
