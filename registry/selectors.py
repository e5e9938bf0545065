"""Reads that are more than one QuerySet method: the roster, changes, the chair."""

import datetime
import itertools
from dataclasses import dataclass, field

from django.utils import timezone

from .dates import format_partial
from .models import (
    ChairmanshipTerm,
    Party,
    SeatEvent,
    SeatEventKind,
    StandingChange,
    Status,
    launch_date,
)


@dataclass(frozen=True)
class RosterEntry:
    party: Party
    status: str
    since: datetime.date | None
    precision: str
    founding: bool

    @property
    def since_display(self):
        return format_partial(self.since, self.precision)

    def as_dict(self):
        return {
            "code": self.party.code,
            "name": self.party.name,
            "since": self.since.isoformat() if self.since else None,
            "precision": self.precision,
            "founding": self.founding,
        }


@dataclass(frozen=True)
class Roster:
    """Members and observers on ``date`` as far as the record knows.

    ``uncertain`` lists parties whose standing on ``date`` the record cannot settle: a
    change dated only to its year or month that may or may not have happened by then,
    or a status attested without any date. They are not counted as members or
    observers.
    """

    date: datetime.date
    chair: Party | None
    members: list[RosterEntry] = field(default_factory=list)
    observers: list[RosterEntry] = field(default_factory=list)
    uncertain: list[StandingChange] = field(default_factory=list)

    def as_dict(self):
        return {
            "date": self.date.isoformat(),
            "chair": self.chair.code if self.chair else None,
            "members": [entry.as_dict() for entry in self.members],
            "observers": [entry.as_dict() for entry in self.observers],
            "uncertain": [
                {
                    "code": change.party.code,
                    "name": change.party.name,
                    "status": change.status,
                    "date": change.date.isoformat() if change.date else None,
                    "precision": change.precision,
                }
                for change in self.uncertain
            ],
        }


def _entries(parties, status, founding_ids):
    return [
        RosterEntry(
            party=party,
            status=status,
            since=party.since,
            precision=party.since_precision,
            founding=party.pk in founding_ids,
        )
        for party in parties
    ]


def roster_on(day: datetime.date) -> Roster:
    """Members, observers and the chair on ``day``: a fixed number of queries."""
    founding_ids = set(Party.objects.founding().values_list("pk", flat=True))
    parties = Party.objects.with_status_on(day).filter(
        status__in=[Status.MEMBER, Status.OBSERVER]
    )
    members = [p for p in parties if p.status == Status.MEMBER]
    observers = [p for p in parties if p.status == Status.OBSERVER]
    uncertain = list(
        StandingChange.objects.uncertain_on(day)
        .select_related("party")
        .order_by("party__name", "date")
    )
    return Roster(
        date=day,
        chair=chair_on(day),
        members=_entries(members, Status.MEMBER, founding_ids),
        observers=_entries(observers, Status.OBSERVER, founding_ids),
        uncertain=uncertain,
    )


def is_founding_member(party: Party) -> bool:
    return party.status_on(launch_date()) == Status.MEMBER


def changes_between(start: datetime.date, end: datetime.date):
    """Changes of standing that may have taken effect from ``start`` to ``end``."""
    return (
        StandingChange.objects.between(start, end)
        .select_related("party")
        .order_by("known_from", "date", "party__name")
    )


def chair_on(day: datetime.date) -> Party | None:
    term = ChairmanshipTerm.objects.on(day).select_related("party").first()
    return term.party if term else None


@dataclass(frozen=True)
class Gap:
    start: datetime.date
    end: datetime.date | None


def chairmanship_gaps(today: datetime.date | None = None) -> list[Gap]:
    """Stretches with no chair recorded: between consecutive terms, and from the end
    of the last term if it has ended by ``today`` (``end`` None: still open)."""
    today = today or timezone.localdate()
    gaps = []
    terms = list(ChairmanshipTerm.objects.order_by("start"))
    for previous, following in itertools.pairwise(terms):
        if previous.end is not None and previous.end < following.start:
            gaps.append(Gap(previous.end, following.start))
    if terms and terms[-1].end is not None and terms[-1].end <= today:
        gaps.append(Gap(terms[-1].end, None))
    return gaps


def seat_on(day: datetime.date) -> SeatEvent | None:
    return (
        SeatEvent.objects.filter(
            kind__in=[SeatEventKind.OPENED, SeatEventKind.MOVED], date__lte=day
        )
        .order_by("-date")
        .first()
    )
