import datetime
import io
import json

import pytest
from django.core.management import call_command

from cica_admin.core.dates import Precision
from meetings import selectors
from meetings.models import (
    Decision,
    Delegation,
    Document,
    DocumentAction,
    Meeting,
    MeetingChair,
    ReportedFigure,
)
from registry.models import ChairmanshipTerm, Party, StandingChange

pytestmark = pytest.mark.django_db

D = datetime.date
ALL_MODELS = [
    Party,
    StandingChange,
    ChairmanshipTerm,
    Meeting,
    Delegation,
    ReportedFigure,
    MeetingChair,
    Document,
    DocumentAction,
    Decision,
]


def meeting(body, ordinal):
    return Meeting.objects.get(body__code=body, ordinal=ordinal)


def category(meeting, code):
    party = Party.objects.get_by_natural_key(code)
    return Delegation(meeting=meeting, party=party).category_on_meeting_date


def test_the_summits_and_ministerial_meetings_are_loaded(cica_record):
    assert [m.start.year for m in Meeting.objects.filter(body__code="summit")] == [
        2002,
        2006,
        2010,
        2014,
    ]
    assert [m.start.year for m in Meeting.objects.filter(body__code="ministerial")] == [
        1999,
        2004,
        2008,
        2012,
    ]
    assert meeting("summit", 3).city == "Istanbul"
    assert str(meeting("summit", 4)) == "Fourth Summit (20-21 May 2014)"


def test_qatar_observer_at_the_third_ministerial_member_at_the_fourth_summit(
    cica_record,
):
    assert category(meeting("ministerial", 3), "QAT") == "observer"
    # It became a member at the Fourth Summit, on one of its two days: on the first
    # day it is certainly no more than an observer, and its standing is uncertain.
    assert category(meeting("summit", 4), "QAT") == "observer"
    unsettled = StandingChange.objects.uncertain_on(meeting("summit", 4).start)
    assert unsettled.filter(party__country="QA", status="member").exists()
    assert category(meeting("ministerial", 2), "QAT") == "guest"


def test_the_first_summit_names_its_heads_of_delegation(cica_record):
    delegations = Delegation.objects.filter(
        meeting=meeting("summit", 1)
    ).with_category()
    assert delegations.count() == 15
    assert {d.category for d in delegations} == {"member"}
    levels = {d.party.code: d.level for d in delegations.select_related("party")}
    assert levels["AZE"] == levels["IND"] == "head_of_government"
    assert levels["ISR"] == "authorized_official"


def test_only_reported_figures_are_stored_where_the_seeds_give_counts(cica_record):
    third = meeting("ministerial", 3)
    assert not third.delegations.exists()
    assert {f.wording: f.count for f in third.reported_figures.all()} == {
        "delegations of 19 Member States": 19,
        "7 observer-countries": 7,
        "6 international and regional organizations": 6,
    }
    assert meeting("summit", 4).reported_figures.get().count == 47


def test_the_fourth_ministerial_was_co_chaired_by_kazakhstan_and_turkey(cica_record):
    chairs = meeting("ministerial", 4).chair_roles.select_related("party")
    assert {(c.party.code, c.role) for c in chairs} == {
        ("KAZ", "co_chair"),
        ("TUR", "co_chair"),
    }


def test_documents_and_kazakhstans_ratifications(cica_record):
    host = Document.objects.get(title="Host Country Agreement")
    assert (host.date, host.precision) == (D(2007, 1, 1), Precision.YEAR)
    ratification = host.actions.get()
    assert (ratification.party.code, ratification.when) == ("KAZ", "March 2008")
    protocol = Document.objects.get(kind="protocol")
    assert protocol.amends.title == "Statute of the CICA Secretariat"
    assert Document.objects.get(kind="memorandum", counterpart__acronym="SCO")


def test_admission_decisions_point_at_the_changes_they_caused(cica_record):
    fourth_summit = Decision.objects.get(kind="admission", meeting=meeting("summit", 4))
    assert {c.party.code for c in fourth_summit.standing_changes.all()} == {
        "QAT",
        "BGD",
    }
    silence = Decision.objects.get(procedure="silence")
    assert (silence.when, silence.chairmanship_terms.get().party.code) == (
        "October 2012",
        "CHN",
    )


def test_the_cadence_report_on_the_record(cica_record):
    report = {
        entry.body.code: entry for entry in selectors.cadence_report(D(2026, 1, 1))
    }
    assert [i.years for i in report["summit"].intervals] == [4, 4, 4]
    assert report["summit"].breaks == []
    # 1999 -> 2004 came before the two-year rule of the Rules of Procedure (2004).
    assert [i.years for i in report["ministerial"].breaks] == [4, 4]
    assert report["ministerial"].next_due_year == 2014
    # Due in 2014, after the record's horizon (21 May 2014): not known to be late.
    assert not report["ministerial"].overdue


def test_the_cadence_command_prints_json(cica_record):
    out = io.StringIO()
    call_command("cadence", "--format", "json", stdout=out)
    summit = next(e for e in json.loads(out.getvalue()) if e["body"] == "summit")
    assert summit["next_due_year"] == 2018
    assert summit["breaks"] == []


def history_rows():
    return sum(model.history.count() for model in ALL_MODELS)


def test_loading_twice_writes_no_history_anywhere(cica_record):
    rows = history_rows()
    call_command("load_cica", stdout=io.StringIO())
    assert history_rows() == rows


def test_a_corrected_date_is_kept_and_the_load_still_runs(cica_record):
    korea = StandingChange.objects.get(party__country="KR")
    korea.date, korea.precision = D(2006, 6, 1), Precision.MONTH
    korea.save()
    summit = meeting("summit", 2)
    summit.city = "Almaty"
    summit.save()
    out = io.StringIO()
    call_command("load_cica", stdout=out)
    assert StandingChange.objects.filter(party__country="KR").count() == 1
    assert StandingChange.objects.get(party__country="KR").precision == Precision.MONTH
    assert Meeting.objects.get(pk=summit.pk).city == "Almaty"
    assert "0 created" in out.getvalue()
    assert "2 kept as recorded" in out.getvalue()


def test_a_corrected_admission_keeps_its_decision_and_the_load_still_runs(cica_record):
    thailand = StandingChange.objects.get(party__country="TH")
    thailand.date, thailand.precision = D(2004, 10, 21), Precision.DAY
    thailand.save()
    out = io.StringIO()
    call_command("load_cica", stdout=out)
    assert StandingChange.objects.filter(party__country="TH").count() == 1
    decision = Decision.objects.get(standing_changes=thailand)
    assert decision.kind == "admission"
    assert "0 created" in out.getvalue()


def test_commands_record_their_user_in_history(clerk):
    call_command("load_cica", "--user", clerk.username, stdout=io.StringIO())
    for model in ALL_MODELS:
        users = set(model.history.values_list("history_user", flat=True))
        assert users == {clerk.pk}, model
