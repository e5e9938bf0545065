"""Reads across meetings: the cadence report, a document's status matrix."""

import datetime
import itertools
import re
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from registry.models import HorizonKind, Party, RecordHorizon

from .models import ORDINALS, ActionKind, Body, DocumentAction, Meeting


class Verdict:
    """What the cadence rule says of an interval."""

    KEPT = "kept"
    BROKEN = "broken"
    BEFORE_RULE = "before the rule"  # it began before the rule was in force
    INCOMPLETE = "record incomplete"  # meetings between may be missing from the record
    NO_RULE = "no rule"


@dataclass(frozen=True)
class Interval:
    previous: Meeting
    following: Meeting
    years: int
    verdict: str

    @property
    def broken(self):
        return self.verdict == Verdict.BROKEN


@dataclass(frozen=True)
class BodyCadence:
    body: Body
    meetings: list[Meeting]
    intervals: list[Interval] = field(default_factory=list)
    next_due_year: int | None = None
    overdue: bool = False
    #: The meetings horizon, when the next meeting falls due after it: whether it was
    #: held is beyond what the sources say.
    beyond_horizon: RecordHorizon | None = None

    @property
    def record_incomplete(self):
        return self.body.meetings_incomplete

    @property
    def breaks(self):
        return [interval for interval in self.intervals if interval.broken]

    @property
    def rows(self):
        """Each meeting with the interval that led to it (None for the first)."""
        if not self.meetings:
            return []
        return [(self.meetings[0], None)] + [(i.following, i) for i in self.intervals]


def _verdict(body, previous, years):
    rule = body.max_interval_years
    if rule is None:
        return Verdict.NO_RULE
    if body.meetings_incomplete:
        return Verdict.INCOMPLETE
    judged_from = body.cadence_judged_from
    if judged_from is not None and previous.start < judged_from:
        return Verdict.BEFORE_RULE
    return Verdict.BROKEN if years > rule else Verdict.KEPT


def cadence_report(today: datetime.date | None = None) -> list[BodyCadence]:
    """For every body: its held meetings in order, the calendar years between them,
    where its rule was broken, and the year the next meeting is due. Three queries.

    A rule judges only the intervals that begin once it is in force (the Ministerial
    Meeting's two years come from the Rules of Procedure of 2004); a body whose
    meeting record is known to be incomplete is never called broken or overdue; and a
    meeting due after the record's horizon is not called overdue: the sources end
    before it."""
    today = today or timezone.localdate()
    horizon = RecordHorizon.objects.filter(kind=HorizonKind.MEETINGS).first()
    held = Meeting.objects.held().order_by("start")
    bodies = Body.objects.prefetch_related(Prefetch("meetings", queryset=held))
    report = []
    for body in bodies:
        meetings = list(body.meetings.all())
        rule = body.max_interval_years
        intervals = [
            Interval(
                previous=a,
                following=b,
                years=b.start.year - a.start.year,
                verdict=_verdict(body, a, b.start.year - a.start.year),
            )
            for a, b in itertools.pairwise(meetings)
        ]
        due = meetings[-1].start.year + rule if meetings and rule else None
        beyond = (
            horizon
            if due is not None
            and horizon is not None
            and datetime.date(due, 12, 31) > horizon.date
            else None
        )
        report.append(
            BodyCadence(
                body=body,
                meetings=meetings,
                intervals=intervals,
                next_due_year=due,
                overdue=due is not None
                and today.year > due
                and beyond is None
                and not body.meetings_incomplete,
                beyond_horizon=beyond,
            )
        )
    return report


@dataclass(frozen=True)
class MatrixRow:
    party: Party
    actions: dict  # ActionKind -> DocumentAction

    @property
    def state(self):
        bound = {ActionKind.RATIFICATION, ActionKind.ACCESSION, ActionKind.APPROVAL}
        if bound & self.actions.keys():
            return "ratified, acceded or approved"
        if ActionKind.SIGNATURE in self.actions:
            return "signed"
        return "nothing recorded"


def document_status_matrix(
    document, on: datetime.date | None = None
) -> list[MatrixRow]:
    """Every member on ``on`` (today by default) and every party that acted on the
    document, with its actions taken by that day. Two queries."""
    on = on or timezone.localdate()
    actions = (
        DocumentAction.objects.filter(document=document)
        .filter(date__lte=on)
        .select_related("party")
    ) | DocumentAction.objects.filter(
        document=document, date__isnull=True
    ).select_related("party")
    by_party = {}
    for action in actions:
        by_party.setdefault(action.party, {})[action.action] = action
    for party in Party.objects.members_on(on):
        by_party.setdefault(party, {})
    return [
        MatrixRow(party=party, actions=acts)
        for party, acts in sorted(by_party.items(), key=lambda item: item[0].name)
    ]


_ORDINAL_WORDS = {word.lower(): number for number, word in enumerate(ORDINALS, 1)}
_NUMBER = re.compile(r"(\d{1,3})(?:st|nd|rd|th)?")
_YEAR = re.compile(r"\d{4}")


def meetings_named(words: str) -> Q | None:
    """The meetings a clerk means by "Sixth Summit", "summit 6", "6th ministerial"
    or "Astana 2022", as a filter: a meeting numbered in its series has no title of
    its own to search. None when the words give no number and no year."""
    ordinal = year = None
    rest = Q()
    for word in words.lower().split():
        if word in _ORDINAL_WORDS:
            ordinal = _ORDINAL_WORDS[word]
        elif _YEAR.fullmatch(word):
            year = int(word)
        elif match := _NUMBER.fullmatch(word):
            ordinal = int(match[1])
        else:
            rest &= (
                Q(body__code__iexact=word)
                | Q(body__name__icontains=word)
                | Q(body__meeting_name__icontains=word)
                | Q(city__icontains=word)
            )
    if ordinal is None and year is None:
        return None
    if ordinal is not None:
        rest &= Q(ordinal=ordinal)
    if year is not None:
        rest &= Q(start__year=year)
    return rest
