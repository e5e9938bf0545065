"""Every fact of the two seeds that the model holds, one assertion per fact, asked
through the public queries the reports use (the roster, the chair on a date, the
meeting and document reports, the cadence report).

``000``: the Kazakhstan MFA page on CICA; ``003``: the CICA profile of the UN PoA
database, "accurate as of 13 June 2012". The comment beside each fact quotes or
names what the seed says. Facts the model cannot hold are listed in
docs/clerks-guide.md ("What the record does not hold").
"""

import datetime

import pytest

from meetings import selectors as meeting_selectors
from meetings.models import Decision, Document
from meetings.reports import document_status, meeting_by_key, meeting_report
from registry import selectors
from registry.models import (
    ChairmanshipTerm,
    HorizonKind,
    Party,
    PostHolding,
    RecordHorizon,
)

pytestmark = pytest.mark.django_db

D = datetime.date
AFTER_SUMMIT_4 = D(2014, 5, 22)


def entry(roster, code):
    entries = {e.party.code: e for e in [*roster.members, *roster.observers]}
    return entries.get(code)


# (code, status, since as the register prints it) on the day after the Fourth Summit.
STANDING = [
    # 003: "formally launched in 2002 with 16 members"; 000: First Summit 4 June 2002.
    *[
        (code, "member", "on or before 4 Jun 2002")
        for code in (
            "AFG",
            "AZE",
            "CHN",
            "EGY",
            "IND",
            "IRN",
            "ISR",
            "KAZ",
            "KGZ",
            "MNG",
            "PAK",
            "PSE",
            "RUS",
            "TJK",
            "TUR",
            "UZB",
        )
    ],
    ("THA", "member", "on or before 22 Oct 2004"),  # 000: 17th member, on the eve
    ("KOR", "member", "2006"),  # 003: South Korea (2006)
    ("JOR", "member", "25 Aug 2008"),  # 000: Third Ministerial Meeting
    ("ARE", "member", "25 Aug 2008"),  # 000: Third Ministerial Meeting
    ("IRQ", "member", "2010"),  # 003: Iraq and Vietnam (2010)
    ("VNM", "member", "2010"),
    ("BHR", "member", "2011"),  # 003: Bahrain and Cambodia (2011)
    ("KHM", "member", "2011"),
    ("QAT", "member", "one of 20–21 May 2014"),  # 000: Fourth Summit, 20-21 May
    ("BGD", "member", "one of 20–21 May 2014"),
    ("TurkPA", "observer", "12 Sep 2012"),  # 000: Fourth Ministerial Meeting
    # 003 (as of 13 June 2012): observers include LAS, the OSCE, the UN, Ukraine and
    # the United States; 000 lists them too.
    *[
        (code, "observer", "on or before 13 Jun 2012")
        for code in ("LAS", "OSCE", "UN", "UKR", "USA")
    ],
]


@pytest.mark.parametrize(("code", "status", "since"), STANDING)
def test_standing_after_the_fourth_summit(cica_record, code, status, since):
    found = entry(selectors.roster_on(AFTER_SUMMIT_4), code)
    assert (found.status, found.since_display) == (status, since)


@pytest.mark.parametrize("code", ["IDN", "JPN", "MYS", "PHL", "LKA"])
def test_observers_listed_without_a_date_are_uncertain(cica_record, code):
    # 000 lists Indonesia, Japan, Malaysia, the Philippines and Sri Lanka as
    # observers, without saying since when.
    uncertain = selectors.roster_on(AFTER_SUMMIT_4).uncertain
    assert code in {c.party.code for c in uncertain if c.status == "observer"}


@pytest.mark.parametrize(
    ("day", "members", "source"),
    [
        (D(2002, 6, 4), 16, "003: launched in 2002 with 16 members"),
        (D(2004, 10, 22), 17, "000: Thailand the 17th member"),
        (D(2012, 6, 13), 24, "003: 24 members, accurate as of 13 June 2012"),
        (D(2014, 5, 21), 26, "000: the 26 members it lists"),
    ],
)
def test_number_of_members(cica_record, day, members, source):
    assert len(selectors.roster_on(day).members) == members, source


@pytest.mark.parametrize(
    ("code", "day"), [("QAT", D(2008, 8, 25))]
)  # 000: Qatar joined as an observer at the Third Ministerial Meeting
def test_qatar_was_an_observer_from_the_third_ministerial(cica_record, code, day):
    assert entry(selectors.roster_on(day), code).status == "observer"


@pytest.mark.parametrize("code", ["QAT", "BGD"])
def test_the_fourth_summit_accessions_are_uncertain_on_its_first_day(cica_record, code):
    # 000 does not say on which of the Summit's two days they joined.
    roster = selectors.roster_on(D(2014, 5, 20))
    assert code in {c.party.code for c in roster.uncertain}
    assert entry(roster, code) is None


@pytest.mark.parametrize(
    ("day", "chair"),
    [
        (D(2008, 8, 25), "KAZ"),  # 000: Kazakhstan's President as CICA Chairman
        (D(2010, 6, 7), "KAZ"),
        (D(2010, 6, 8), "TUR"),  # 000: transferred at the Third Summit
        (D(2012, 9, 12), "TUR"),  # 000: extended for 2012-14
        (D(2014, 5, 19), "TUR"),
        (D(2014, 5, 20), None),  # the Summit's first day: Turkey or China
        (D(2014, 5, 21), "CHN"),  # 000: China assumed the chairmanship at the Summit
    ],
)
def test_the_chair(cica_record, day, chair):
    found = selectors.chair_on(day)
    assert (found.code if found else None) == chair


def test_turkeys_extension_rests_on_kazakhstans_proposal_of_april_2012(cica_record):
    # 000: "In April 2012 Kazakhstan's proposal to extend the Chairmanship of Turkey
    # ... received the support of most CICA Member States."
    extension = ChairmanshipTerm.objects.get(extends__isnull=False)
    decision = extension.decisions.get(date=D(2012, 4, 1))
    assert (extension.party.code, decision.when) == ("TUR", "April 2012")


def test_chinas_candidacy_was_approved_by_silence_in_october_2012(cica_record):
    decision = Decision.objects.get(procedure="silence")  # 000
    assert (decision.when, decision.chairmanship_terms.get().party.code) == (
        "October 2012",
        "CHN",
    )


def test_the_secretariat_opened_in_almaty_on_17_june_2006(cica_record):
    assert selectors.seat_on(D(2006, 6, 16)) is None  # 000
    assert selectors.seat_on(D(2006, 6, 17)).city == "Almaty"


@pytest.mark.parametrize(
    ("post", "nationalities"),
    [
        ("Executive Director", {"CHN"}),  # 000: Ambassador Gong Jianwei (China)
        ("Deputy Executive Director", {"KAZ"}),  # 000: Ms. A.Bakytbekkyzy
        # 000: "representatives of Kazakhstan, Turkey, Russia, India and Iran"
        ("Professional staff", {"KAZ", "TUR", "RUS", "IND", "IRN"}),
    ],
)
def test_the_secretariat_staff(cica_record, post, nationalities):
    holdings = PostHolding.objects.filter(post__title=post)
    assert {h.nationality.code for h in holdings} == nationalities


@pytest.mark.parametrize(
    ("key", "when", "city"),
    [
        ("ministerial-1", "14 Sep 1999", ""),  # 000
        ("summit-1", "4 Jun 2002", ""),
        ("ministerial-2", "22 Oct 2004", ""),
        ("summit-2", "17 Jun 2006", ""),
        ("ministerial-3", "25 Aug 2008", "Almaty"),
        ("summit-3", "8 Jun 2010", "Istanbul"),
        ("informal-ministerial-1", "26 Sep 2011", "New York"),
        ("ministerial-4", "12 Sep 2012", "Astana"),
        ("summit-4", "20-21 May 2014", "Shanghai"),
    ],
)
def test_the_meetings(cica_record, key, when, city):
    meeting = meeting_by_key(key)
    assert (meeting.when, meeting.city) == (when, city)


@pytest.mark.parametrize(
    ("key", "wording", "count"),
    [
        ("ministerial-3", "delegations of 19 Member States", 19),  # 000
        ("ministerial-3", "7 observer-countries", 7),
        ("ministerial-3", "6 international and regional organizations", 6),
        ("summit-3", "9 Heads of States and Governments", 9),
        ("summit-3", "14 Ministers and Special Envoys", 14),
        ("summit-3", "16 international organizations", 16),
        ("ministerial-4", "delegations of 24 Member States", 24),
        ("ministerial-4", "8 observer countries", 8),
        ("ministerial-4", "16 international and regional organizations", 16),
        ("summit-4", "47 states and international organizations", 47),
    ],
)
def test_the_reported_attendance(cica_record, key, wording, count):
    report = meeting_report(meeting_by_key(key))
    assert {f.wording: f.count for f in report.reported}[wording] == count


@pytest.mark.parametrize(
    ("title", "when"),
    [
        ("Declaration on the Principles Guiding Relations", "14 Sep 1999"),  # 000
        ("Almaty Act", "4 Jun 2002"),
        ("Declaration on Eliminating Terrorism", "4 Jun 2002"),
        ("Catalogue of Confidence Building Measures", "22 Oct 2004"),
        ("Rules of Procedure", "22 Oct 2004"),
        ("Statute of the CICA Secretariat", "17 Jun 2006"),
        ("Guidelines for the CICA's External Relations", "2007"),
        ("Host Country Agreement", "2007"),
        ("Protocol amending the Statute", "2008"),
        ("Convention on Privileges and Immunities", "8 Jun 2010"),
        ("Declaration of the Fourth Ministerial Meeting", "12 Sep 2012"),
        ("Rules of Procedure (2014)", "one of 20–21 May 2014"),
        ("Memorandum of Understanding between the Shanghai", "one of 20–21 May 2014"),
        ("Declaration of the Fourth CICA Summit", "one of 20–21 May 2014"),
    ],
)
def test_the_documents(cica_record, title, when):
    document = Document.objects.filter(title__startswith=title).order_by("pk")
    if title == "Rules of Procedure":
        document = document.filter(title=title)
    assert document.get().when == when


@pytest.mark.parametrize(
    ("title", "when"),
    [
        ("Statute of the CICA Secretariat", "February 2007"),  # 000
        ("Host Country Agreement", "March 2008"),
        ("Convention on Privileges and Immunities", "November 2011"),
    ],
)
def test_kazakhstans_ratifications(cica_record, title, when):
    document = Document.objects.get(title__startswith=title)
    rows = document_status(document, on=D(2014, 5, 21)).rows
    kazakhstan = next(row for row in rows if row.party.code == "KAZ")
    assert kazakhstan.actions["ratification"].when == when


@pytest.mark.parametrize(
    ("body", "years"),
    [("summit", 4), ("ministerial", 2), ("soc", 1)],  # 000
)
def test_the_cadence_rules(cica_record, body, years):
    report = {e.body.code: e for e in meeting_selectors.cadence_report(D(2014, 5, 21))}
    assert report[body].body.max_interval_years == years


def test_kazakhstan_is_the_largest_contributor_and_no_amount_is_recorded(cica_record):
    # 003: "Kazakhstan has always been the largest contributor"; no amounts.
    assert "largest contributor" in Party.objects.get_by_natural_key("KAZ").note


@pytest.mark.parametrize("kind", list(HorizonKind))
def test_the_horizon_is_the_fourth_summits_last_day(cica_record, kind):
    assert RecordHorizon.objects.get(kind=kind).date == D(2014, 5, 21)
