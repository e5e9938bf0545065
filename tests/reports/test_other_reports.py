import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from cica_admin.reporting import charts
from finance import reports as finance_reports
from finance import services as finance_services
from registry.reports import chairmanship_timeline, membership_by_year
from tests.factories import StateFactory

from .helpers import cleaned, report_html, report_pdf_text, report_workbook

pytestmark = pytest.mark.django_db

D = datetime.date
SVG = "{http://www.w3.org/2000/svg}"


def test_register_marks_founding_members_and_lists_changes(cica_record):
    html = report_html("register", on="2014-05-22", since="2014-01-01")
    assert "26 members" in html
    assert "Kazakhstan *" in html  # founding member
    assert "Qatar *" not in html
    assert "Changes from 1 January 2014 to 22 May 2014" in html
    assert "Qatar" in html.split("Changes from")[1]
    workbook = report_workbook("register", on="2014-05-22", since="2014-01-01")
    members = {row[0]: row for row in list(workbook["Members"].values)[1:]}
    assert members["Kazakhstan"][3] == "yes"
    assert members["Qatar"][3] in ("", None)
    assert {row[1] for row in list(workbook["Changes"].values)[1:]} >= {
        "Qatar",
        "Bangladesh",
    }


def test_register_refuses_a_period_that_ends_before_it_starts():
    from cica_admin.reporting.kinds import KINDS

    form = KINDS["register"].form_class({"on": "2010-01-01", "since": "2012-01-01"})
    assert not form.is_valid()
    assert "must not be after its end" in form.errors["since"][0]


def test_as_of_in_the_future_is_refused():
    from cica_admin.reporting.kinds import KINDS

    form = KINDS["chairmanship"].form_class({"as_of": "2999-01-01"})
    assert not form.is_valid()
    assert "as they will stand" in form.errors["as_of"][0]


def test_chairmanship_timeline_shows_the_extension_and_the_gap(cica_record):
    rows = chairmanship_timeline(today=D(2026, 11, 23))
    chairs = [row.term.party.name if row.term else None for row in rows]
    assert chairs == ["Kazakhstan", "Turkey", "Turkey", "China", None]
    assert rows[2].term.extends == rows[1].term
    text, _pages = report_pdf_text("chairmanship")
    flat = " ".join(text.split())
    assert "No chair recorded" in flat
    assert "extension of the previous term" in flat


def test_secretariat_report_names_posts_and_seat(cica_record):
    html = report_html("secretariat")
    assert "Executive Director" in html
    assert "Gong Jianwei" in html
    assert "Almaty" in html
    assert "Astana" in html


def test_document_status_on_a_date(cica_record):
    from meetings.models import DocumentAction

    action = DocumentAction.objects.select_related("document", "party").first()
    html = report_html("document", document=action.document.pk, on="2026-01-01")
    assert action.party.name in html
    assert action.when in html


def test_membership_by_year_and_its_chart(cica_record):
    years = {row.year: row for row in membership_by_year(D(2026, 11, 23))}
    assert years[2002].members == 16
    assert years[2014].members == 26
    assert "Qatar" in years[2014].joined
    svg = charts.membership_chart(list(years.values()))
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Members and observers of CICA by year"
    assert "26 members" in root.find(f"{SVG}desc").text


@pytest.fixture
def contributions():
    finance_services.exchange_rate_record(
        currency="KZT", date=D(2020, 1, 1), rate=Decimal("0.0025")
    )
    kazakhstan = StateFactory(country="KZ")
    china = StateFactory(country="CN")
    pledge = finance_services.pledge_record(
        party=kazakhstan,
        amount=Decimal("4000000"),
        currency="KZT",
        year=2023,
        date=D(2023, 1, 10),
    )
    finance_services.contribution_record(
        party=kazakhstan,
        amount=Decimal("1000000"),
        currency="KZT",
        received=D(2023, 3, 1),
        pledge=pledge,
    )
    for amount, day in [("20000", D(2023, 5, 1)), ("5000", D(2024, 5, 1))]:
        finance_services.contribution_record(
            party=china, amount=Decimal(amount), currency="USD", received=day
        )
    return kazakhstan, china


def test_finance_report_by_year_and_party(contributions):
    html = report_html("finance", year="2023", on="2024-01-01")
    assert "20,000.00 USD" in html
    assert "2,500.00 USD" in html  # 1,000,000 KZT at 0.0025
    assert "22,500.00 USD" in html
    assert "3,000,000.00 KZT" in html  # outstanding of the pledge
    workbook = report_workbook("finance", on="2024-01-01")
    sheet = list(workbook["Contributions (USD)"].values)
    assert sheet[0][:4] == ("party", "code", "2023", "2024")
    china = next(row for row in sheet if row[0] == "China")
    assert china[2:5] == (20000, 5000, 25000)


def test_the_finance_report_says_in_words_that_nothing_is_outstanding(
    contributions,
):
    before_the_pledge = report_html("finance", on="2022-01-01")
    assert "No pledge has anything outstanding." in before_the_pledge
    assert "None." not in before_the_pledge
    assert "No pledge has anything outstanding." not in report_html(
        "finance", on="2024-01-01"
    )


def test_finance_charts_are_valid_svg(contributions):
    table = finance_reports.year_party_table()
    for svg in (
        charts.contributions_by_year_chart(table),
        charts.contributions_by_party_chart(table),
    ):
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG}svg"
        assert "USD" in root.find(f"{SVG}title").text
    desc = ET.fromstring(charts.contributions_by_year_chart(table)).find(f"{SVG}desc")
    assert "2023: 22,500.00 USD" in desc.text


def test_statement_of_a_party(contributions):
    kazakhstan, _china = contributions
    data = cleaned("statement", party="KAZ", on="2024-01-01")
    assert data["party"] == kazakhstan
    html = report_html("statement", party="KAZ", on="2024-01-01")
    assert "4,000,000.00 KZT" in html
    assert "1 KZT = 0.0025" in html


def test_as_of_today_means_now_and_tomorrow_is_refused():
    from django.utils import timezone

    from cica_admin.reporting.kinds import KINDS

    today = timezone.localdate()
    form = KINDS["chairmanship"].form_class({"as_of": today.isoformat()})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["as_of"] <= timezone.now()
    tomorrow = today + datetime.timedelta(days=1)
    assert (
        not KINDS["chairmanship"].form_class({"as_of": tomorrow.isoformat()}).is_valid()
    )


def test_the_register_says_the_chair_is_uncertain_late_in_a_terms_last_year():
    from cica_admin.core.dates import Precision
    from tests.factories import ChairmanshipTermFactory, member

    ChairmanshipTermFactory(
        party=member(name="Azerbaijan"),
        start=D(2024, 1, 1),
        start_precision=Precision.YEAR,
        planned_end=D(2026, 1, 1),
        planned_end_precision=Precision.YEAR,
    )
    html = report_html("register", on="2026-06-01")
    assert "uncertain: the term of Azerbaijan (2024 – 2026)" in html
    assert "none recorded" not in html


def test_register_lists_a_suspended_member_among_the_members_as_suspended():
    from registry.models import Status
    from tests.factories import StandingChangeFactory, member

    member(D(2002, 6, 4), name="Steady State")
    suspended = member(D(2002, 6, 4), name="Suspended State")
    StandingChangeFactory(party=suspended, status=Status.SUSPENDED, date=D(2009, 3, 1))
    html = report_html("register", on="2010-01-01")
    assert "<h2>2 members</h2>" in html
    members = html.split("<h2>2 members</h2>")[1].split("<h2>")[0]
    assert "Suspended State" in members
    assert "suspended since" in members
    workbook = report_workbook("register", on="2010-01-01")
    rows = {row[0]: row for row in list(workbook["Members"].values)[1:]}
    assert rows["Suspended State"][4] == "suspended member"
    assert rows["Steady State"][4] == "member"
    assert membership_by_year(today=D(2010, 1, 1))[-2].members == 2  # end of 2009


def test_finance_reports_include_synthetic_data_only_when_asked_and_say_so(
    finance_records,
):
    from finance.models import Contribution

    contribution = Contribution.objects.filter(synthetic=True).first()
    party = contribution.party.code
    html = report_html("finance")
    assert "No contribution recorded." in html
    assert "This report includes synthetic data" not in html
    html = report_html("finance", include_synthetic="on")
    assert "This report includes synthetic data" in html
    assert contribution.party.name in html
    with_synthetic = report_workbook("finance", include_synthetic="on")
    about = list(with_synthetic["About"].values)
    assert about[0][0] == "Voluntary contributions — with synthetic data"

    statement = report_html("statement", party=party)
    assert "synthetic test data is left out" in statement
    assert "No pledge and no contribution recorded." in statement
    statement = report_html("statement", party=party, include_synthetic="on")
    assert "This statement includes synthetic data" in statement
    assert "No pledge and no contribution recorded." not in statement
