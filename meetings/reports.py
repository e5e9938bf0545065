"""Report builders for meetings and documents: plain data for HTML, PDF and xlsx.

Each builder runs a fixed number of queries, whatever the number of delegations.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import ChairmanshipTerm, Party, PartyKind, StandingChange

from .models import (
    ActionKind,
    Category,
    Document,
    DocumentAction,
    Meeting,
)
from .selectors import document_status_matrix

ACTION_COLUMNS = [(kind.value, kind.label) for kind in ActionKind]

CATEGORY_HEADINGS = {
    Category.MEMBER: _("Member States"),
    Category.OBSERVER: _("Observers"),
    Category.GUEST: _("Guests"),
}


@dataclass
class DelegationGroup:
    category: str
    heading: str
    delegations: list


@dataclass
class MeetingReport:
    """What a meeting was, who came, who did not, and what it adopted and decided.

    ``absent`` names the members on the meeting's first day with no delegation
    present. It is only stated when a clerk has marked the attendance list complete
    (``attendance_named``): where a source names some delegations, or gives totals
    only, the members missing from the list may well have been there.
    """

    meeting: Meeting
    chairs: list
    groups: list  # DelegationGroup, members first
    members_on_date: list  # Party
    absent: list  # Party
    excused: list  # Delegation
    reported: list  # ReportedFigure
    attendance_named: bool
    uncertain: list  # StandingChange: standing unsettled on the meeting's first day
    documents: list  # Document adopted at the meeting
    signatures: list  # (Document, [DocumentAction]) taken at the meeting
    decisions: list  # Decision with its linked records prefetched

    def present(self, category):
        return [
            delegation
            for group in self.groups
            if group.category == category
            for delegation in group.delegations
            if delegation.present
        ]

    @property
    def members_present(self):
        return len(self.present(Category.MEMBER))

    @property
    def other_counts(self):
        """(label, count) rows of the named attendance beside the members."""
        observers = self.present(Category.OBSERVER)
        organizations = [d for d in observers if d.party.kind == PartyKind.ORGANIZATION]
        return [
            (_("Observer States present"), len(observers) - len(organizations)),
            (_("Observer organizations present"), len(organizations)),
            (_("Guests present"), len(self.present(Category.GUEST))),
            (_("Delegations excused"), len(self.excused)),
        ]

    @property
    def delegations(self):
        return [d for group in self.groups for d in group.delegations]

    @property
    def unchecked(self):
        """Delegations counted present that the pre-fill added and no clerk has
        confirmed: the counts include them, and the report says so."""
        return [d for d in self.delegations if d.present and d.unchecked_prefill]


def meeting_report(meeting: Meeting) -> MeetingReport:
    """The report of ``meeting``. Eleven queries, however many delegations it had."""
    meeting = Meeting.objects.select_related("body").get(pk=meeting.pk)
    day = meeting.start
    chairs = list(meeting.chair_roles.select_related("party").order_by("role", "pk"))
    delegations = list(
        meeting.delegations.with_category()
        .select_related("party")
        .order_by("party__name")
    )
    members = list(Party.objects.members_on(day).order_by("name"))
    reported = list(meeting.reported_figures.all())
    uncertain = list(
        StandingChange.objects.uncertain_on(day)
        .select_related("party")
        .order_by("party__name")
    )
    documents = list(meeting.documents.order_by("title"))
    actions = (
        DocumentAction.objects.filter(meeting=meeting)
        .select_related("document", "party")
        .order_by("document__title", "party__name", "action")
    )
    signatures = {}
    for action in actions:
        signatures.setdefault(action.document, []).append(action)
    decisions = list(
        meeting.decisions.order_by("date", "pk").prefetch_related(
            Prefetch(
                "standing_changes",
                queryset=StandingChange.objects.select_related("party"),
            ),
            Prefetch(
                "chairmanship_terms",
                queryset=ChairmanshipTerm.objects.select_related("party"),
            ),
            Prefetch("documents", queryset=Document.objects.order_by("title")),
        )
    )

    groups = [
        DelegationGroup(
            category,
            CATEGORY_HEADINGS[category],
            [d for d in delegations if d.category == category],
        )
        for category in (Category.MEMBER, Category.OBSERVER, Category.GUEST)
    ]
    present_ids = {d.party_id for d in delegations if d.present}
    attendance_named = meeting.attendance_complete
    return MeetingReport(
        meeting=meeting,
        chairs=chairs,
        groups=[group for group in groups if group.delegations],
        members_on_date=members,
        absent=[p for p in members if p.pk not in present_ids]
        if attendance_named
        else [],
        excused=[d for d in delegations if not d.present],
        reported=reported,
        attendance_named=attendance_named,
        uncertain=uncertain,
        documents=documents,
        signatures=list(signatures.items()),
        decisions=decisions,
    )


def summary_rows(report: MeetingReport):
    """What the meeting was and how many attended, as (label, value) rows: the
    facts and the counts at the head of the report, in the same words."""
    meeting = report.meeting
    chairs = "; ".join(
        f"{chair.party.name} ({chair.get_role_display()}: {chair.person})"
        if chair.person
        else f"{chair.party.name} ({chair.get_role_display()})"
        for chair in report.chairs
    )
    rows = [
        (_("Meeting"), meeting.display_title),
        (_("Body"), meeting.body.name),
        (_("Ordinal"), meeting.ordinal or ""),
        (_("Dates"), meeting.when),
        (_("City"), meeting.city),
        (_("Host"), meeting.host_country.name if meeting.host_country else ""),
        (_("Status"), meeting.get_status_display()),
        (_("Chair"), chairs or _("not recorded")),
        (_("Source"), meeting.source),
    ]
    if not report.delegations:
        rows.append((_("Attendance"), _("No delegation is named in the record.")))
        return rows
    if report.attendance_named:
        rows.append(
            (
                _("Member States present"),
                _("%(present)s of %(total)s")
                % {
                    "present": report.members_present,
                    "total": len(report.members_on_date),
                },
            )
        )
    else:
        rows.append((_("Member States named as present"), report.members_present))
        rows.append(
            (
                _("Attendance list"),
                _("not complete: other members may have attended"),
            )
        )
    rows.extend(report.other_counts)
    return rows


def document_rows(report: MeetingReport):
    return [
        [document.title, document.get_kind_display()] for document in report.documents
    ]


def signature_rows(report: MeetingReport):
    return [
        [document.title, action.party.name, action.get_action_display(), action.when]
        for document, actions in report.signatures
        for action in actions
    ]


def decision_rows(report: MeetingReport):
    """One row per decision, with the records it is linked to named in one cell."""
    rows = []
    for decision in report.decisions:
        linked = [
            *(str(change) for change in decision.standing_changes.all()),
            *(
                _("Chairmanship: %(term)s") % {"term": term}
                for term in decision.chairmanship_terms.all()
            ),
            *(
                _("Document: %(title)s") % {"title": document.title}
                for document in decision.documents.all()
            ),
        ]
        rows.append(
            [
                decision.when,
                decision.get_kind_display(),
                decision.get_procedure_display(),
                decision.text,
                "; ".join(str(item) for item in linked),
                decision.source,
            ]
        )
    return rows


def attendance_rows(report: MeetingReport):
    """The attendance as rows for a spreadsheet: one per delegation."""
    return [
        [
            str(CATEGORY_HEADINGS[d.category]),
            d.party.name,
            d.party.code,
            d.get_level_display(),
            d.head_name,
            d.head_title,
            _("excused")
            if not d.present
            else _("present (pre-filled, not checked)")
            if d.unchecked_prefill
            else _("present"),
            d.note,
        ]
        for d in report.delegations
    ]


@dataclass
class DocumentStatusReport:
    document: Document
    on: datetime.date
    rows: list = field(default_factory=list)  # selectors.MatrixRow

    @property
    def counts(self):
        """(state, number of parties in it), in the order a reader expects."""
        states = ["ratified, acceded or approved", "signed", "nothing recorded"]
        return [
            (state, sum(1 for r in self.rows if r.state == state)) for state in states
        ]


def document_status(
    document: Document, on: datetime.date | None = None
) -> DocumentStatusReport:
    """Every member on ``on`` and every party that acted on ``document``, with what it
    had done by then."""
    on = on or timezone.localdate()
    document = Document.objects.select_related("adopted_at__body").get(pk=document.pk)
    return DocumentStatusReport(
        document=document, on=on, rows=document_status_matrix(document, on)
    )


MEETING_KEY = re.compile(
    r"^(?P<body>[\w-]+?)\s*[-:| ]\s*(?P<which>\d{4}-\d{2}-\d{2}|\d+)$"
)


def meeting_by_key(key: str) -> Meeting:
    """A meeting named by its id, or by its body's code and ordinal or first day:
    ``12``, ``summit-4``, ``summit 4``, ``summit | 2014-05-20``."""
    key = key.strip()
    if key.isdigit():
        return Meeting.objects.get(pk=int(key))
    match = MEETING_KEY.match(key)
    if not match:
        raise Meeting.DoesNotExist(key)
    meetings = Meeting.objects.filter(body__code=match["body"])
    which = match["which"]
    if which.isdigit():
        return meetings.get(ordinal=int(which))
    return meetings.get(start=datetime.date.fromisoformat(which))
