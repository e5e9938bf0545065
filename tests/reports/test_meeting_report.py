import datetime
import re

import pytest
from django.utils import timezone

from cica_admin.core.services import record_save
from meetings.models import Category, Delegation, Meeting, ReportedFigure
from meetings.reports import meeting_by_key, meeting_report

from .conftest import synthetic_meeting
from .helpers import (
    queries_to_render,
    report_html,
    report_pdf_text,
    report_workbook,
)

pytestmark = pytest.mark.django_db


def names(delegations):
    return sorted(d.party.name for d in delegations)


def test_categories_come_from_the_standing_timeline_on_the_meeting_date():
    report = meeting_report(synthetic_meeting(3))
    assert names(report.present(Category.MEMBER)) == [
        "Present 00",
        "Present 01",
        "Present 02",
    ]
    # Later Member joined in 2014: at a 2010 meeting it was an observer.
    assert names(report.present(Category.OBSERVER)) == [
        "Later Member",
        "Observer Organization",
        "Observer State",
    ]
    assert names(report.present(Category.GUEST)) == ["Guest State"]
    assert names(report.excused) == ["Excused State"]


def test_members_absent_are_the_members_on_the_date_not_present():
    report = meeting_report(synthetic_meeting(3))
    assert [p.name for p in report.absent] == [
        "Absent One",
        "Absent Two",
        "Excused State",
    ]
    assert report.members_present == 3
    assert len(report.members_on_date) == 6
    html = report_html("meeting", meeting=report.meeting.pk)
    assert "3 of 6" in html
    assert "Absent One, Absent Two, Excused State." in html


def test_members_absent_are_not_named_when_the_list_is_not_complete():
    meeting = synthetic_meeting(2, complete=False)
    report = meeting_report(meeting)
    assert report.absent == []
    html = report_html("meeting", meeting=meeting.pk)
    assert "the members absent cannot be named" in html
    assert "Absent One" not in html


def test_reported_totals_are_labelled_as_reported(cica_record):
    summit = meeting_by_key("summit-4")
    html = report_html("meeting", meeting=summit.pk)
    assert "Attendance as reported by the sources" in html
    figure = ReportedFigure.objects.get(meeting=summit)
    assert f"“{figure.wording}”" in html
    assert "They are not counted from named delegations" in html


def test_first_summit_on_the_cica_record(cica_record):
    summit = meeting_by_key("summit-1")
    report = meeting_report(summit)
    members = names(report.present(Category.MEMBER))
    assert "Kazakhstan" in members
    assert "China" in members
    assert len(report.members_on_date) == 16  # the founding members
    assert report.attendance_named is False  # the seed names only some


def test_qatar_is_a_member_at_the_fourth_summit_and_decisions_link_records(cica_record):
    report = meeting_report(meeting_by_key("summit-4"))
    # Members from one of the Summit's two days: not certainly members on the first.
    assert "Qatar" not in [p.name for p in report.members_on_date]
    assert {c.party.name for c in report.uncertain} >= {"Qatar", "Bangladesh"}
    changes = [c.party.name for d in report.decisions for c in d.standing_changes.all()]
    assert sorted(changes) == ["Bangladesh", "Qatar"]
    assert any(
        d.title.startswith("Declaration of the Fourth") for d in report.documents
    )


def test_pre_filled_delegations_are_counted_apart_until_a_clerk_confirms_them(
    cica_record,
):
    """The pre-fill adds every member as present for the clerk to check; the report
    must not state as fact an attendance nobody has checked."""
    from meetings.services import delegations_prefill

    summit = meeting_by_key("summit-4")
    added = delegations_prefill(meeting=summit)
    report = meeting_report(summit)
    assert len(report.unchecked) == len(added) > 20
    html = report_html("meeting", meeting=summit.pk)
    assert f"{len(added)} delegations counted here were pre-filled" in html
    assert "pre-filled, not checked" in html
    rows = list(report_workbook("meeting", meeting=summit.pk)["Attendance"].values)
    assert sum(row[6] == "present (pre-filled, not checked)" for row in rows) == len(
        added
    )

    confirmed = Delegation.objects.get(pk=added[0].pk)
    confirmed.source = "Press release of the Fourth Summit"
    record_save(confirmed)
    assert len(meeting_report(summit).unchecked) == len(added) - 1


def test_pdf_is_a_pdf_whose_text_holds_the_names_and_counts():
    meeting = synthetic_meeting(4)
    text, pages = report_pdf_text("meeting", meeting=meeting.pk)
    assert pages >= 1
    flat = re.sub(r"\s+", " ", text)
    assert "4 of 7" in flat
    assert "Present 03" in flat
    assert "Head 02" in flat
    assert "Absent One, Absent Two, Excused State." in flat
    assert "Page 1 of" in flat


def test_attendance_workbook_has_a_row_per_delegation():
    meeting = synthetic_meeting(3)
    workbook = report_workbook("meeting", meeting=meeting.pk)
    rows = list(workbook["Attendance"].values)
    assert rows[0][:3] == ("category", "party", "code")
    assert len(rows) - 1 == Delegation.objects.filter(meeting=meeting).count()
    by_party = {row[1]: row for row in rows[1:]}
    assert by_party["Later Member"][0] == "Observers"
    assert by_party["Excused State"][6] == "excused"
    assert [r[0] for r in list(workbook["Members absent"].values)[1:]] == [
        "Absent One",
        "Absent Two",
        "Excused State",
    ]
    assert workbook.sheetnames[-1] == "About"


def test_a_cell_that_looks_like_a_formula_is_escaped_in_the_workbook():
    meeting = synthetic_meeting(1)
    delegation = Delegation.objects.get(meeting=meeting, party__name="Present 00")
    delegation.head_name = '=HYPERLINK("http://evil")'
    record_save(delegation)
    rows = list(report_workbook("meeting", meeting=meeting.pk)["Attendance"].values)
    head = next(row[4] for row in rows if row[1] == "Present 00")
    assert head == '\'=HYPERLINK("http://evil")'


def test_queries_do_not_grow_with_the_number_of_delegations():
    small = synthetic_meeting(5)
    few = queries_to_render("meeting", meeting=small.pk)
    Meeting.objects.all().delete()
    large = synthetic_meeting(60, tag=" B")
    many = queries_to_render("meeting", meeting=large.pk)
    assert few == many
    assert many <= 15


def test_as_of_report_equals_the_report_before_a_later_edit():
    meeting = synthetic_meeting(3)
    before = report_html("meeting", meeting=meeting.pk)
    moment = timezone.now()
    while timezone.now() <= moment:  # the edits below are strictly later
        pass
    head = Delegation.objects.get(meeting=meeting, party__name="Present 00")
    head.head_name = "Someone Else"
    record_save(head)
    Delegation.objects.get(meeting=meeting, party__name="Guest State").delete()
    meeting.city = "Istanbul"
    record_save(meeting)
    now = report_html("meeting", meeting=meeting.pk)
    assert "Someone Else" in now
    assert "Guest State" not in now
    as_of = report_html("meeting", meeting=meeting.pk, as_of=moment.isoformat())
    assert as_of == before


def test_as_of_before_the_meeting_was_recorded_says_so():
    from cica_admin.reporting import render
    from cica_admin.reporting.kinds import KINDS

    from .helpers import cleaned

    meeting = synthetic_meeting(1)
    long_ago = timezone.now() - datetime.timedelta(days=1)
    data = cleaned("meeting", meeting=meeting.pk, as_of=long_ago.isoformat())
    with (
        pytest.raises(render.ReportError, match="was not in the records"),
        render.built(KINDS["meeting"], data),
    ):
        pass


@pytest.mark.parametrize(
    ("key", "expected"),
    [("summit-4", 4), ("summit 4", 4), ("summit | 4", 4), ("summit-2014-05-20", 4)],
)
def test_a_meeting_is_found_by_its_key(cica_record, key, expected):
    assert meeting_by_key(key).ordinal == expected


def test_a_meeting_with_no_named_delegation_leads_with_the_reported_figures(
    cica_record,
):
    """The Fourth Ministerial Meeting: the source reports "delegations of 24 Member
    States" and names none. The report must not print "0 of 24" above that."""
    meeting = meeting_by_key("ministerial-4")
    assert not Delegation.objects.filter(meeting=meeting).exists()
    html = report_html("meeting", meeting=meeting.pk)
    assert not re.search(r"\b0 of \d+", html)
    assert "Member States present" not in html
    assert "No delegation is named in the record" in html
    assert html.index("Attendance as reported by the sources") < html.index(
        "No delegation is named in the record"
    )
    assert "“delegations of 24 Member States”" in html


def test_an_incomplete_list_is_not_counted_against_the_members_on_the_date(
    cica_record,
):
    """The Fourth Summit names only the UN Secretary-General's delegation beside
    "47 states and international organizations": no "0 of n" members."""
    html = report_html("meeting", meeting=meeting_by_key("summit-4").pk)
    assert not re.search(r"\b0 of \d+", html)
    assert "Member States named as present" in html
    assert "the attendance list is not complete" in html
    assert html.index("Attendance as reported by the sources") < html.index(
        "Member States named as present"
    )


def test_a_suspended_members_delegation_is_a_member_delegation_marked_suspended():
    from registry.models import Status
    from tests.factories import StandingChangeFactory

    meeting = synthetic_meeting(1)
    suspended = Delegation.objects.get(meeting=meeting, party__name="Present 00").party
    StandingChangeFactory(
        party=suspended, status=Status.SUSPENDED, date=datetime.date(2009, 1, 1)
    )
    report = meeting_report(meeting)
    assert names(report.present(Category.MEMBER)) == ["Present 00"]
    assert report.present(Category.GUEST)[0].party.name == "Guest State"
    assert "Present 00" in [p.name for p in report.members_on_date]
    html = report_html("meeting", meeting=meeting.pk)
    assert "(suspended member on this date)" in html


def test_the_workbook_holds_every_section_of_the_report(cica_record):
    """Chair, attendance, reported figures, documents and decisions, as on the page."""
    summit = meeting_by_key("summit-4")
    workbook = report_workbook("meeting", meeting=summit.pk)
    assert workbook.sheetnames == [
        "Meeting",
        "Attendance",
        "Reported figures",
        "Documents adopted",
        "Decisions",
        "About",
    ]
    facts = dict(list(workbook["Meeting"].values)[1:])
    assert facts["Meeting"] == "Fourth Summit"
    assert facts["Dates"] == summit.when
    assert facts["Chair"] == "not recorded"
    assert facts["Member States named as present"] == 0
    documents = [row[0] for row in list(workbook["Documents adopted"].values)[1:]]
    assert any(title.startswith("Declaration of the Fourth") for title in documents)
    decisions = list(workbook["Decisions"].values)
    assert decisions[0][:4] == ("date", "kind", "procedure", "text")
    concerned = " ".join(row[4] for row in decisions[1:])
    assert "Qatar" in concerned
    assert "Bangladesh" in concerned

    ministerial = meeting_by_key("ministerial-4")
    workbook = report_workbook("meeting", meeting=ministerial.pk)
    facts = dict(list(workbook["Meeting"].values)[1:])
    assert facts["Chair"].startswith("Kazakhstan (co-chair")
    assert "Turkey (co-chair" in facts["Chair"]
    assert facts["Attendance"] == "No delegation is named in the record."
    reported = list(workbook["Reported figures"].values)[1:]
    assert ("member states", 24) in [row[:2] for row in reported]


def test_the_workbook_lists_what_was_signed_at_the_meeting():
    from tests.factories import DocumentActionFactory, DocumentFactory

    meeting = synthetic_meeting(1)
    signer = Delegation.objects.get(meeting=meeting, party__name="Present 00").party
    document = DocumentFactory(title="Convention on Something")
    DocumentActionFactory(
        document=document,
        party=signer,
        action="signature",
        date=meeting.start,
        meeting=meeting,
    )
    rows = list(
        report_workbook("meeting", meeting=meeting.pk)["Signed or ratified"].values
    )
    assert rows[1][:3] == ("Convention on Something", "Present 00", "signature")
