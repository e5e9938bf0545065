"""Views derived from the record claim no more than it holds: founders are not
accessions, a rule judges only its own time, an incomplete record is never
"overdue", and past the record's horizon every view says so."""

import datetime
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from cica_admin.reporting import charts
from meetings import selectors as meeting_selectors
from meetings.models import Body
from meetings.selectors import Verdict
from registry import selectors
from registry.models import HorizonKind, RecordHorizon
from registry.reports import membership_by_year

from .helpers import report_html, report_workbook

pytestmark = pytest.mark.django_db

D = datetime.date
SVG = "{http://www.w3.org/2000/svg}"
HORIZON = D(2014, 5, 21)


def test_the_founding_members_are_founders_not_accessions_of_2002(cica_record):
    years = {row.year: row for row in membership_by_year(D(2026, 1, 1))}
    assert len(years[2002].founded) == 16
    assert years[2002].joined == ()
    assert years[2004].joined == ("Thailand",)
    description = ET.fromstring(charts.membership_chart(list(years.values()))).find(
        f"{SVG}desc"
    )
    assert "2002: 16 founding members" in description.text
    assert "Accessions by year: 2004: Thailand" in description.text


@pytest.mark.parametrize("year", range(2002, 2008))
def test_observers_before_2008_are_uncertain_not_zero(cica_record, year):
    row = {row.year: row for row in membership_by_year(D(2026, 1, 1))}[year]
    # No observer is dated before 2008, but the UN, the OSCE, the LAS, Ukraine and
    # the United States were observers "on or before 13 June 2012" and five more
    # states are listed without a date: ten that may have been observers.
    assert (row.observers, row.observers_uncertain) == (0, 10)


def test_the_years_past_the_horizon_are_marked(cica_record):
    years = {row.year: row for row in membership_by_year(D(2020, 6, 1))}
    assert not years[2013].beyond_horizon
    assert years[2014].beyond_horizon  # its last day is after 21 May 2014
    assert years[2020].beyond_horizon
    svg = charts.membership_chart(list(years.values()))
    assert "beyond the record's horizon" in ET.fromstring(svg).find(f"{SVG}desc").text


def cadence(today=None):
    today = today or D(2026, 1, 1)
    return {e.body.code: e for e in meeting_selectors.cadence_report(today)}


def test_the_ministerial_rule_judges_only_intervals_from_the_2004_rules(cica_record):
    ministerial = cadence()["ministerial"]
    assert [(i.years, i.verdict) for i in ministerial.intervals] == [
        (5, Verdict.BEFORE_RULE),  # 1999 -> 2004: the Rules were adopted in 2004
        (4, Verdict.BROKEN),
        (4, Verdict.BROKEN),
    ]


def test_a_body_whose_record_is_known_incomplete_is_not_overdue(cica_record):
    soc = cadence()["soc"]
    assert soc.record_incomplete
    assert not soc.overdue
    out = io.StringIO()
    call_command("cadence", stdout=out)
    assert "record incomplete" in out.getvalue()
    assert "next due in 2009" not in out.getvalue()


@pytest.mark.parametrize(("body", "due"), [("summit", 2018), ("ministerial", 2014)])
def test_a_meeting_due_after_the_horizon_is_not_called_overdue(cica_record, body, due):
    entry = cadence()[body]
    assert entry.next_due_year == due
    assert not entry.overdue
    assert entry.beyond_horizon.date == HORIZON


def test_a_meeting_due_before_the_horizon_and_missing_is_overdue(cica_record):
    RecordHorizon.objects.filter(kind=HorizonKind.MEETINGS).update(date=D(2025, 1, 1))
    assert cadence()["summit"].overdue


def test_the_cadence_page_says_why_it_does_not_judge(admin_client, cica_record):
    html = admin_client.get("/admin/meetings/body/cadence/").content.decode()
    assert "before the rule was in force" in html
    assert "Record incomplete:" in html
    assert "the record ends on 21 May 2014" in html


def test_an_incomplete_record_needs_its_reason():
    body = Body(code="x", name="X", meeting_name="X", meetings_incomplete=True)
    with pytest.raises(ValidationError) as exc:
        body.full_clean()
    assert "meetings_incomplete_reason" in exc.value.message_dict


@pytest.mark.parametrize(("day", "past"), [(HORIZON, False), (D(2020, 1, 1), True)])
def test_a_roster_past_the_horizon_says_so(cica_record, day, past):
    roster = selectors.roster_on(day)
    assert (roster.horizon is not None) is past
    html = report_html("register", on=day.isoformat())
    assert ("Beyond the record's horizon" in html) is past
    out, err = io.StringIO(), io.StringIO()
    call_command("roster", "--on", day.isoformat(), stdout=out, stderr=err)
    assert ("only up to 21 May 2014" in err.getvalue()) is past
    out = io.StringIO()
    call_command("roster", "--on", day.isoformat(), "--format", "json", stdout=out)
    expected = "2014-05-21" if past else None
    assert json.loads(out.getvalue())["beyond_horizon"] == expected


def test_the_chairmanship_gap_after_the_horizon_is_not_called_a_gap(cica_record):
    html = report_html("chairmanship")
    assert "Beyond the record's horizon: no source says who chaired." in html
    assert "A gap in the record" not in html


def test_the_chairmanship_workbook_keeps_the_hand_over_to_one_of_two_days(cica_record):
    # 000: China assumed the chairmanship from Turkey at the Fourth Summit, 20-21 May
    # 2014, without saying on which day.
    rows = list(report_workbook("chairmanship").active.iter_rows(values_only=True))
    by_chair = {row[0]: row for row in rows}
    assert by_chair["China"][1] == "one of 20–21 May 2014"
    assert any(row[2] == "one of 20–21 May 2014" for row in rows if row[0] == "Turkey")
