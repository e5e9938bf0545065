import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from meetings.reports import meeting_by_key
from tests.factories import reading, staff_with

from .conftest import synthetic_meeting

pytestmark = pytest.mark.django_db

MEETING_PERMISSIONS = ("view_meeting", "view_delegation")


def report_url(kind, **params):
    from urllib.parse import urlencode

    return reverse("admin:report", args=[kind]) + (
        "?" + urlencode(params) if params else ""
    )


def test_meeting_page_has_a_report_button_and_the_report_renders(clerk_client):
    meeting = synthetic_meeting(3)
    change = clerk_client.get(
        reverse("admin:meetings_meeting_change", args=[meeting.pk])
    )
    link = report_url("meeting", meeting=meeting.pk)
    assert link in change.content.decode()
    page = clerk_client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Report of the" in html
    assert "3 of 6" in html
    assert "format=pdf" in html
    assert "format=xlsx" in html


@pytest.mark.parametrize(
    ("output", "content_type", "magic"),
    [("pdf", "application/pdf", b"%PDF-"), ("xlsx", "application/vnd.openxml", b"PK")],
)
def test_downloads(clerk_client, output, content_type, magic):
    meeting = synthetic_meeting(2)
    response = clerk_client.get(
        report_url("meeting", meeting=meeting.pk, format=output)
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response.content.startswith(magic)
    assert f".{output}" in response["Content-Disposition"]


def test_a_meeting_named_by_its_key_is_shown_as_chosen(clerk_client, cica_record):
    summit = meeting_by_key("summit-4")
    html = clerk_client.get(report_url("meeting", meeting="summit-4")).content.decode()
    assert f'<option value="{summit.pk}" selected>' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"meeting": "summit-99"}, "No meeting “summit-99”"),
        ({"meeting": "1", "format": "docx"}, "Choose one of the formats"),
        ({"meeting": "1", "as_of": "yesterday"}, "Enter a date (2026-05-20)"),
    ],
)
def test_bad_parameters_are_explained(clerk_client, params, message):
    synthetic_meeting(1)
    response = clerk_client.get(report_url("meeting", **params))
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_report_about_one_record_waits_for_the_choice(clerk_client):
    response = clerk_client.get(report_url("meeting"))
    assert response.status_code == 200
    assert "This field is required" not in response.content.decode()


def test_reports_follow_view_permissions(client):
    client.force_login(staff_with(*MEETING_PERMISSIONS))
    meeting = synthetic_meeting(1)
    assert client.get(report_url("meeting", meeting=meeting.pk)).status_code == 200
    assert client.get(report_url("register")).status_code == 403


@pytest.mark.parametrize("kind", ["finance", "statement"])
def test_finance_reports_are_refused_to_staff_without_finance_permissions(client, kind):
    client.force_login(staff_with(*MEETING_PERMISSIONS, "view_party"))
    assert client.get(report_url(kind)).status_code == 403
    index = client.get(reverse("admin:reports")).content.decode()
    assert report_url(kind) not in index
    assert report_url("meeting") in index


@pytest.mark.parametrize(
    ("finance", "shown"), [((), False), (("view_pledge", "view_contribution"), True)]
)
def test_finance_figures_are_on_the_dashboard_only_for_finance_staff(
    client, cica_record, finance, shown
):
    registry = ("view_party", "view_standingchange", "view_meeting")
    client.force_login(staff_with(*registry, *finance))
    html = client.get(reverse("admin:index")).content.decode()
    assert ("Contributions recorded" in html) is shown
    assert "Membership over time" in html


def test_the_dashboard_shows_real_contributions_from_its_cache_too(
    clerk_client, cica_record
):
    """The finance figures are cached (pickled): a table holding real contributions
    must survive that, on the first request and on the next."""
    import datetime
    from decimal import Decimal

    from finance import services

    services.contribution_record(
        party="KAZ",
        amount=Decimal("150000"),
        currency="USD",
        received=datetime.date(2025, 3, 15),
    )
    for _request in range(2):
        response = clerk_client.get(reverse("admin:index"))
        assert response.status_code == 200
        assert response.context["dashboard"].contributions.rows
        assert "Contributions by year" in response.content.decode()


def test_dashboard_renders_on_an_empty_database(
    clerk_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40):
        response = clerk_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["dashboard"].roster.members == []
    html = response.content.decode()
    assert "Membership over time" not in html  # no chart without data
    assert "No change recorded yet." in html
    assert "No contribution recorded yet" in html


def test_dashboard_on_the_cica_record(clerk_client, cica_record):
    response = clerk_client.get(reverse("admin:index"))
    assert response.status_code == 200
    board = response.context["dashboard"]
    assert len(board.roster.members) == 26
    assert {entry.body.code for entry in board.due} >= {"summit", "ministerial"}
    assert board.recent  # load_cica's writes
    assert all(change.record.history_change_reason for change in board.recent)
    html = response.content.decode()
    start = html.index('<svg role="img"')
    svg = html[start : html.index("</svg>", start) + len("</svg>")]
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert "Membership over time" in html


def test_recent_changes_only_show_models_whose_history_the_user_may_read(
    client, cica_record
):
    client.force_login(staff_with("view_meeting"))
    assert client.get(reverse("admin:index")).context["dashboard"].recent == []
    client.force_login(staff_with(*reading("meeting")))
    board = client.get(reverse("admin:index")).context["dashboard"]
    assert board.recent
    assert {change.model._meta.label for change in board.recent} == {"meetings.Meeting"}
    assert board.roster is None


def test_recent_changes_show_a_decision_once_with_the_changes_it_caused(
    clerk_client, clerk
):
    """Recording an admission writes the decision, the change of standing and the
    decision again (its links): one save, listed once, the change as its effect."""
    import datetime

    from meetings.models import DecisionKind
    from meetings.services import decision_record_standing
    from tests.factories import StateFactory

    state = StateFactory(name="Admitted State")
    decision_record_standing(
        kind=DecisionKind.ADMISSION,
        party=state,
        text="Admission of the Admitted State",
        date=datetime.date(2020, 5, 1),
        procedure="silence",
        actor=clerk,
        reason="Decision of the SOC",
    )
    response = clerk_client.get(reverse("admin:index"))
    board = response.context["dashboard"]
    # The party was added before, by no user: a save of its own.
    labels = [change.model._meta.label for change in board.recent]
    assert labels == ["meetings.Decision", "registry.Party"]
    decision = board.recent[0]
    assert decision.verb == "added"
    assert [e.model._meta.label for e in decision.side_effects] == [
        "registry.StandingChange"
    ]
    assert "With: Admitted State" in response.text


def test_recent_changes_name_the_generator_of_synthetic_rows(
    clerk_client, finance_records
):
    response = clerk_client.get(reverse("admin:index"))
    board = response.context["dashboard"]
    assert board.recent
    assert all(change.user is None for change in board.recent)
    assert "no user recorded" not in response.text
    assert "generate_synthetic (made-up data)" in response.text
