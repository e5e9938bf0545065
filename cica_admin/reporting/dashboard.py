"""The admin index at a glance: who belongs, which meetings are due, what changed,
and charts, each part only for staff who may see what it shows."""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone

from finance import reports as finance_reports
from finance.models import Contribution, ExchangeRate
from finance.valuation import MissingRate
from meetings.models import Meeting, MeetingStatus
from meetings.selectors import cadence_report
from registry.models import ChairmanshipTerm, StandingChange
from registry.reports import membership_by_year
from registry.selectors import roster_on

from ..core.history import recent_changes, visible_models
from . import charts
from .kinds import FINANCE_PERMISSIONS


@dataclass
class Dashboard:
    today: datetime.date
    roster: object = None
    chair_term: object = None
    due: list = field(default_factory=list)  # BodyCadence with a rule
    planned: list = field(default_factory=list)  # Meeting
    recent: list = field(default_factory=list)  # history.Change
    membership: list = field(default_factory=list)  # MembershipYear
    membership_chart: str = ""
    finance: bool = False
    contributions: object = None  # YearPartyTable
    contributions_charts: tuple = ()
    finance_problem: str = ""


def _version(*models):
    """Changes whenever a row of ``models`` is written: a key for cached charts.
    Two index lookups per model (history ids only grow; dates are indexed)."""
    parts = []
    for model in models:
        stats = model.history.aggregate(last=Max("history_date"), id=Max("history_id"))
        parts.append(f"{stats['last']}:{stats['id']}")
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


def dashboard(user, today: datetime.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    board = Dashboard(today=today)
    if user.has_perms(["registry.view_party", "registry.view_standingchange"]):
        board.roster = roster_on(today)
        board.chair_term = (
            ChairmanshipTerm.objects.on(today).select_related("party").first()
        )
        key = f"dashboard:membership:{today}:{_version(StandingChange)}"
        board.membership, board.membership_chart = cache.get_or_set(
            key, lambda: _membership(today), timeout=24 * 3600
        )
    if user.has_perm("meetings.view_meeting"):
        board.due = [entry for entry in cadence_report(today) if entry.next_due_year]
        board.planned = list(
            Meeting.objects.filter(status=MeetingStatus.PLANNED, start__gte=today)
            .select_related("body")
            .order_by("start")[:5]
        )
    board.recent = recent_changes(visible_models(user), limit=8)
    if user.has_perms(FINANCE_PERMISSIONS):
        board.finance = True
        key = f"dashboard:finance:{_version(Contribution, ExchangeRate)}"
        try:
            board.contributions, board.contributions_charts = cache.get_or_set(
                key, _contributions, timeout=24 * 3600
            )
        except MissingRate as error:
            board.finance_problem = " ".join(error.messages)
    return board


def _membership(today):
    years = membership_by_year(today)
    return years, charts.membership_chart(years) if years else ""


def _contributions():
    table = finance_reports.year_party_table()
    if not table.rows:
        return table, ()
    return table, (
        charts.contributions_by_year_chart(table),
        charts.contributions_by_party_chart(table, limit=8),
    )
