import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django_countries import countries

from meetings.models import (
    ActionKind,
    Body,
    Decision,
    DecisionKind,
    Delegation,
    Document,
    DocumentAction,
    Meeting,
    MeetingChair,
    ReportedFigure,
)
from registry.models import Party, PartyKind, StandingChange, Status
from tests.factories import BodyFactory, MeetingFactory
from tests.helpers import admin_urls

pytestmark = pytest.mark.django_db

D = datetime.date
MEETINGS_MODELS = [
    Body,
    Meeting,
    Delegation,
    ReportedFigure,
    MeetingChair,
    Document,
    DocumentAction,
    Decision,
]
MAX_QUERIES = 30


def populate(delegations):
    """A meeting with ``delegations`` delegations, and a document ratified by each."""
    codes = [code for code, _ in countries][:delegations]
    Party.objects.bulk_create(
        Party(kind=PartyKind.STATE, country=code, name=f"State {code}", in_asia=True)
        for code in codes
    )
    parties = list(Party.objects.order_by("pk"))
    StandingChange.objects.bulk_create(
        StandingChange(
            party=p, status=Status.MEMBER, date=D(2002, 6, 4), known_from=D(2002, 6, 4)
        )
        for p in parties
    )
    meeting = MeetingFactory(start=D(2014, 5, 20), end=D(2014, 5, 21))
    Delegation.objects.bulk_create(
        Delegation(meeting=meeting, party=p) for p in parties
    )
    MeetingChair.objects.create(meeting=meeting, party=parties[0])
    ReportedFigure.objects.create(
        meeting=meeting, group="other", count=47, wording="47 states", source="test"
    )
    document = Document.objects.create(
        kind="convention", title="Convention", adopted_at=meeting, date=D(2010, 6, 8)
    )
    DocumentAction.objects.bulk_create(
        DocumentAction(
            document=document,
            party=p,
            action=ActionKind.RATIFICATION,
            date=D(2011, 11, 1),
            meeting=meeting,
        )
        for p in parties
    )
    decision = Decision.objects.create(
        kind=DecisionKind.ADMISSION, meeting=meeting, text="Admitted."
    )
    decision.standing_changes.add(*StandingChange.objects.all()[:5])
    return meeting


@pytest.mark.parametrize("delegations", [5, 200])
@pytest.mark.parametrize("model", MEETINGS_MODELS, ids=lambda m: m.__name__)
def test_meetings_pages_run_a_bounded_number_of_queries(
    clerk_client, django_assert_max_num_queries, model, delegations
):
    populate(delegations)
    for url in admin_urls(model):
        with django_assert_max_num_queries(MAX_QUERIES):
            response = clerk_client.get(url)
        assert response.status_code == 200, url


def test_the_meeting_page_shows_each_delegations_category(clerk_client):
    meeting = populate(3)
    response = clerk_client.get(
        reverse("admin:meetings_meeting_change", args=[meeting.pk])
    )
    formset = response.context["inline_admin_formsets"][1].formset
    assert [form.instance.category for form in formset.initial_forms] == ["member"] * 3


def test_the_prefill_action_adds_the_roster_of_the_meeting_date(
    clerk_client, cica_record
):
    summit = Meeting.objects.get(body__code="summit", ordinal=4)
    before = set(summit.delegations.values_list("party__country", "party__acronym"))
    response = clerk_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "prefill_delegations", "_selected_action": [summit.pk]},
    )
    assert response.status_code == 302
    parties = {d.party.code for d in summit.delegations.select_related("party")}
    # 24 members and the six dated observers certain on 20 May 2014; the UN was
    # already there.
    assert len(parties) == 30
    assert {"TurkPA", "UN"} <= parties
    assert len(before) == 1
    # Observers listed without a date, and Qatar and Bangladesh, who became members
    # on one of the Summit's two days, are not added but named for the clerk.
    assert not {"QAT", "BGD"} & parties
    warning = [str(m) for m in get_messages(response.wsgi_request)][-1]
    assert (
        "Bangladesh, Indonesia, Japan, Malaysia, Philippines, Qatar, Sri Lanka"
        in warning
    )


def test_the_document_page_shows_who_signed_and_ratified(clerk_client, cica_record):
    convention = Document.objects.get(kind="convention")
    response = clerk_client.get(
        reverse("admin:meetings_document_change", args=[convention.pk])
    )
    assert response.status_code == 200
    assert "November 2011" in response.text  # Kazakhstan's ratification
    assert response.text.count("nothing recorded") == 25  # the other members today


def test_the_cadence_page_lists_broken_rules(clerk_client, cica_record):
    response = clerk_client.get(reverse("admin:meetings_body_cadence"))
    assert response.status_code == 200
    # The two Ministerial gaps of 4 years under the Rules of 2004 (the 5 years from
    # 1999 came before them); the Summits kept their 4 years.
    assert response.text.count("<strong>broken</strong>") == 2


@pytest.mark.parametrize(
    "permissions",
    [
        ("view_body", "add_body", "change_body", "import_body", "export_body"),
        ("view_body",),
    ],
    ids=["clerk", "reader"],
)
def test_the_bodies_list_offers_the_cadence_of_meetings(client, permissions):
    """The README promises the button on the bodies list: to a reader too, beside
    the spreadsheet buttons for whoever may use them."""
    from tests.factories import staff_with

    BodyFactory()
    client.force_login(staff_with(*permissions))
    response = client.get(reverse("admin:meetings_body_changelist"))
    assert response.status_code == 200
    assert f'href="{reverse("admin:meetings_body_cadence")}"' in response.text
    assert "Cadence of meetings" in response.text
    exports = reverse("admin:meetings_body_export") in response.text
    assert exports == ("export_body" in permissions)


def test_an_admission_decision_in_the_admin_records_the_change(clerk_client):
    from tests.factories import StateFactory

    meeting = MeetingFactory(start=D(2008, 8, 25))
    jordan = StateFactory(country="JO")
    response = clerk_client.post(
        reverse("admin:meetings_decision_add"),
        {
            "parties": [jordan.pk],
            "kind": DecisionKind.ADMISSION,
            "procedure": "meeting",
            "meeting": meeting.pk,
            "date": "",
            "precision": "day",
            "text": "Jordan is granted full member status.",
            "source": "",
            "note": "",
        },
    )
    assert response.status_code == 302
    change = StandingChange.objects.get(party=jordan)
    assert change.status == Status.MEMBER
    assert list(Decision.objects.get().standing_changes.all()) == [change]


def test_a_refused_admission_in_the_admin_shows_why_and_saves_nothing(clerk_client):
    from tests.factories import StateFactory

    BodyFactory()
    meeting = MeetingFactory(start=D(2008, 8, 25))
    ukraine = StateFactory(country="UA", in_asia=False)
    response = clerk_client.post(
        reverse("admin:meetings_decision_add"),
        {
            "parties": [ukraine.pk],
            "kind": DecisionKind.ADMISSION,
            "procedure": "meeting",
            "meeting": meeting.pk,
            "date": "",
            "precision": "day",
            "text": "Ukraine is admitted.",
            "source": "",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "territory at least partly in Asia" in str(
        response.context["adminform"].form.errors["parties"]
    )
    assert not Decision.objects.exists()
    assert not StandingChange.objects.exists()


@pytest.fixture
def attached(settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    document = Document(kind="statute", title="Statute")
    document.file.save("statute.pdf", ContentFile(b"%PDF-1.4 statute"), save=True)
    return document


def test_an_attached_file_is_served_to_staff_who_may_view_documents(
    clerk_client, attached
):
    response = clerk_client.get(attached.file.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 statute"


def test_an_attached_file_is_not_served_to_others(client, attached):
    from django.contrib.auth.models import User

    assert client.get(attached.file.url).status_code == 302  # to the login page
    User.objects.create_user("visitor", password="pw", is_staff=True)
    client.login(username="visitor", password="pw")
    assert client.get(attached.file.url).status_code == 403


def meeting_form(body, **data):
    empty_inline = {
        f"{prefix}-{key}": value
        for prefix in ("chair_roles", "delegations", "reported_figures")
        for key, value in (
            ("TOTAL_FORMS", "0"),
            ("INITIAL_FORMS", "0"),
            ("MIN_NUM_FORMS", "0"),
            ("MAX_NUM_FORMS", "1000"),
        )
    }
    return {
        **empty_inline,
        "body": body.pk,
        "ordinal": "5",
        "title": "",
        "status": "held",
        "start": "12/09/2012",
        "start_precision": "day",
        "end": "",
        "end_precision": "day",
        "city": "Astana",
        "host_country": "KZ",
        "notes": "",
        "source": "",
        **data,
    }


def test_a_non_member_chair_is_refused_on_a_new_meeting(clerk_client):
    from tests.factories import StateFactory

    japan = StateFactory(country="JP")
    StandingChange.objects.create(
        party=japan,
        status=Status.OBSERVER,
        date=D(2010, 1, 1),
        known_from=D(2010, 1, 1),
    )
    data = meeting_form(
        BodyFactory(),
        **{
            "chair_roles-TOTAL_FORMS": "1",
            "chair_roles-0-party": japan.pk,
            "chair_roles-0-role": "chair",
            "chair_roles-0-person": "",
            "chair_roles-0-source": "",
        },
    )
    response = clerk_client.post(reverse("admin:meetings_meeting_add"), data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert "is not a member on 12 Sep 2012" in str(errors[0]["party"])
    assert not Meeting.objects.exists()
    assert not MeetingChair.objects.exists()


def test_a_ratification_before_a_signature_on_the_same_page_is_refused(clerk_client):
    from tests.factories import DocumentFactory, member

    document = DocumentFactory()
    state = member(country="KZ")
    row = {
        "party": state.pk,
        "precision": "day",
        "meeting": "",
        "source": "",
        "note": "",
    }
    data = {
        "kind": document.kind,
        "title": document.title,
        "adopted_at": "",
        "date": "",
        "precision": "unknown",
        "amends": "",
        "supersedes": "",
        "counterpart": "",
        "source": "",
        "note": "",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
    }
    for i, (action, day) in enumerate(
        [("signature", "08/06/2010"), ("ratification", "01/01/2009")]
    ):
        for key, value in {**row, "action": action, "date": day}.items():
            data[f"actions-{i}-{key}"] = value
    url = reverse("admin:meetings_document_change", args=[document.pk])
    response = clerk_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert "cannot have ratified it earlier" in str(errors[1]["date"])
    assert not DocumentAction.objects.exists()


def test_a_joint_admission_records_both_changes_or_neither(clerk_client):
    from tests.factories import StateFactory

    meeting = MeetingFactory(start=D(2014, 5, 20))
    qatar, bangladesh = StateFactory(country="QA"), StateFactory(country="BD")
    ukraine = StateFactory(country="UA", in_asia=False)
    data = {
        "kind": DecisionKind.ADMISSION,
        "procedure": "meeting",
        "meeting": meeting.pk,
        "date": "",
        "precision": "day",
        "text": "Qatar and Bangladesh join CICA as full members.",
        "source": "",
        "note": "",
    }
    url = reverse("admin:meetings_decision_add")
    refused = clerk_client.post(url, {**data, "parties": [qatar.pk, ukraine.pk]})
    assert refused.status_code == 200
    assert not StandingChange.objects.exists()
    response = clerk_client.post(url, {**data, "parties": [qatar.pk, bangladesh.pk]})
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert {c.party for c in decision.standing_changes.all()} == {qatar, bangladesh}


def test_a_second_delegation_of_a_party_says_so_plainly(clerk_client):
    from meetings import rules
    from tests.factories import StateFactory

    BodyFactory()
    state = StateFactory(country="KZ")
    rows = {
        f"delegations-{i}-{key}": value
        for i in (0, 1)
        for key, value in {
            "party": state.pk,
            "level": "minister",
            "head_name": "",
            "head_title": "",
            "present": "on",
            "note": "",
            "source": "",
        }.items()
    }
    data = meeting_form(BodyFactory(), **{"delegations-TOTAL_FORMS": "2", **rows})
    response = clerk_client.post(reverse("admin:meetings_meeting_add"), data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][1].formset
    assert str(rules.ONE_DELEGATION_PER_PARTY) in formset.non_form_errors()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("Fourth Summit", {"summit-4"}),
        ("summit 4", {"summit-4"}),
        ("4th summit", {"summit-4"}),
        ("summit 2014", {"summit-4"}),
    ],
)
def test_a_meeting_is_found_as_it_is_called(clerk_client, cica_record, words, expected):
    response = clerk_client.get(
        reverse("admin:meetings_meeting_changelist"), {"q": words}
    )
    found = {
        f"{meeting.body.code}-{meeting.ordinal}"
        for meeting in response.context["cl"].result_list
    }
    assert found == expected


def test_the_meeting_autocomplete_finds_a_meeting_by_its_name(
    clerk_client, cica_record
):
    response = clerk_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Fourth Summit",
            "app_label": "meetings",
            "model_name": "document",
            "field_name": "adopted_at",
        },
    )
    assert [item["text"] for item in response.json()["results"]] == [
        str(Meeting.objects.get(body__code="summit", ordinal=4))
    ]


def test_the_meetings_list_shows_the_newest_meeting_first(clerk_client, cica_record):
    response = clerk_client.get(reverse("admin:meetings_meeting_changelist"))
    starts = [meeting.start for meeting in response.context["cl"].result_list]
    assert starts == sorted(starts, reverse=True)
    assert response.context["cl"].result_list[0] == Meeting.objects.latest("start")
