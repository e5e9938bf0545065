"""Reads that are more than one QuerySet method: the roster, changes, the chair."""

import datetime
import functools
import itertools
from dataclasses import dataclass, field

from django.utils import timezone

from cica_admin.core.dates import Precision, format_partial, known_by

from .models import (
    ChairmanshipTerm,
    HorizonKind,
    Party,
    RecordHorizon,
    SeatEvent,
    SeatEventKind,
    StandingChange,
    Status,
    launch_date,
)
from .rules import MEMBERSHIP


@dataclass(frozen=True)
class RosterEntry:
    party: Party
    status: str
    since: datetime.date | None
    precision: str
    founding: bool
    since_latest: datetime.date | None = None

    @property
    def since_display(self):
        return format_partial(self.since, self.precision, self.since_latest)

    @property
    def suspended(self):
        """A member whose membership is suspended on the roster's date: still a
        member, listed among them and shown as suspended."""
        return self.status == Status.SUSPENDED

    def as_dict(self):
        return {
            "code": self.party.code,
            "name": self.party.name,
            "since": self.since.isoformat() if self.since else None,
            "precision": self.precision,
            "since_latest": self.since_latest.isoformat()
            if self.since_latest
            else None,
            "founding": self.founding,
            "suspended": self.suspended,
        }


@dataclass(frozen=True)
class Roster:
    """Members and observers on ``date`` as far as the record knows.

    ``uncertain`` lists parties whose standing on ``date`` the record cannot settle: a
    change dated only to its year, its month or a range of days that may or may not
    have happened by then, or a status attested without any date. They are not
    counted as members or observers, even where an earlier change is certain (Qatar,
    an observer since 2008, on the first day of the Summit at which it became a
    member): on that date the record can say neither.
    """

    date: datetime.date
    chair: Party | None
    members: list[RosterEntry] = field(default_factory=list)
    observers: list[RosterEntry] = field(default_factory=list)
    uncertain: list[StandingChange] = field(default_factory=list)
    #: The horizon of members and observers, when ``date`` lies beyond it: the
    #: roster then repeats the last state recorded, which no source confirms.
    horizon: RecordHorizon | None = None

    @functools.cached_property
    def chair_ending(self) -> ChairmanshipTerm | None:
        """With no chair: a term whose imprecise end may or may not have come by
        ``date``. Asked for only where no chair is found."""
        return None if self.chair else chair_term_ending_on(self.date)

    def as_dict(self):
        return {
            "date": self.date.isoformat(),
            "beyond_horizon": self.horizon.date.isoformat() if self.horizon else None,
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
                    "date_latest": change.date_latest.isoformat()
                    if change.date_latest
                    else None,
                }
                for change in self.uncertain
            ],
        }


def _entries(parties, founding_ids):
    return [
        RosterEntry(
            party=party,
            status=party.status,
            since=party.since,
            precision=party.since_precision,
            since_latest=party.since_latest,
            founding=party.pk in founding_ids,
        )
        for party in parties
    ]


def roster_on(day: datetime.date) -> Roster:
    """Members (suspended ones included, marked), observers and the chair on
    ``day``: a fixed number of queries."""
    founding_ids = set(Party.objects.founding().values_list("pk", flat=True))
    parties = Party.objects.with_status_on(day).filter(
        status__in=[*MEMBERSHIP, Status.OBSERVER]
    )
    uncertain = list(
        StandingChange.objects.uncertain_on(day)
        .select_related("party")
        .order_by("party__name", "date")
    )
    unsettled = {change.party_id for change in uncertain}
    members = [p for p in parties if p.status in MEMBERSHIP and p.pk not in unsettled]
    observers = [
        p for p in parties if p.status == Status.OBSERVER and p.pk not in unsettled
    ]
    return Roster(
        date=day,
        chair=chair_on(day),
        members=_entries(members, founding_ids),
        observers=_entries(observers, founding_ids),
        uncertain=uncertain,
        horizon=RecordHorizon.objects.passed_on(day, HorizonKind.STANDING),
    )


def is_founding_member(party: Party) -> bool:
    return party.status_on(launch_date()) in MEMBERSHIP


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


def chair_term_ending_on(day: datetime.date) -> ChairmanshipTerm | None:
    """The term that may or may not still run on ``day``: its end is known only to
    its month or year, and ``day`` falls in that month or year (a term "2024 - 2026"
    on 1 December 2026). ``chair_on`` does not count it; this names it."""
    candidates = (
        ChairmanshipTerm.objects.with_end()
        .filter(term_end__lte=day, term_end__gt=day - datetime.timedelta(days=366))
        .select_related("party")
        .order_by("-term_end")
    )
    for term in candidates:
        if known_by(term.end, term.end_precision, term.end_latest) >= day:
            return term
    return None


@dataclass(frozen=True)
class Gap:
    start: datetime.date
    end: datetime.date | None
    start_precision: str = Precision.DAY  # the ending term's end's
    end_precision: str = Precision.DAY  # the following term's start's

    @property
    def start_display(self):
        return format_partial(self.start, self.start_precision)

    @property
    def end_display(self):
        return format_partial(self.end, self.end_precision) if self.end else ""


def chairmanship_gaps(today: datetime.date | None = None) -> list[Gap]:
    """Stretches with no chair recorded: between consecutive terms, and from the end
    of the last term if it has ended by ``today`` (``end`` None: still open)."""
    today = today or timezone.localdate()
    gaps = []
    terms = list(ChairmanshipTerm.objects.order_by("start"))
    for previous, following in itertools.pairwise(terms):
        if previous.end is not None and previous.end < following.start:
            gaps.append(
                Gap(
                    previous.end,
                    following.start,
                    previous.end_precision,
                    following.start_precision,
                )
            )
    if terms and terms[-1].end is not None and terms[-1].end <= today:
        gaps.append(Gap(terms[-1].end, None, terms[-1].end_precision))
    return gaps


def seat_on(day: datetime.date) -> SeatEvent | None:
    return (
        SeatEvent.objects.filter(
            kind__in=[SeatEventKind.OPENED, SeatEventKind.MOVED], date__lte=day
        )
        .order_by("-date")
        .first()
    )
