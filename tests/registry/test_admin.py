import datetime

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse
from django_countries import countries

from registry import rules
from registry.models import (
    ChairmanshipTerm,
    Party,
    PartyKind,
    PointOfContact,
    Post,
    PostHolding,
    SeatEvent,
    SeatEventKind,
    StandingChange,
    Status,
)
from tests.helpers import admin_urls

pytestmark = pytest.mark.django_db

D = datetime.date
REGISTRY_MODELS = [
    Party,
    StandingChange,
    ChairmanshipTerm,
    SeatEvent,
    Post,
    PostHolding,
    PointOfContact,
]


def populate(n):
    """``n`` rows of every registry model, written in bulk: the pages are under test."""
    codes = [code for code, _ in countries][:n]
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
    ChairmanshipTerm.objects.bulk_create(
        ChairmanshipTerm(
            party=p, start=D(2003 + i, 1, 1), planned_end=D(2004 + i, 1, 1)
        )
        for i, p in enumerate(parties)
    )
    SeatEvent.objects.bulk_create(
        SeatEvent(
            kind=SeatEventKind.MOVED,
            city=f"City {i}",
            country="KZ",
            date=D(2006 + i % 20, 1, 1 + i % 28),
        )
        for i in range(n)
    )
    Post.objects.bulk_create(Post(title=f"Post {i}") for i in range(n))
    post = Post.objects.first()
    PostHolding.objects.bulk_create(
        PostHolding(post=post, holder_name=f"Holder {i}", nationality=p)
        for i, p in enumerate(parties)
    )
    PointOfContact.objects.bulk_create(
        PointOfContact(party=p, subject="Small arms", name=f"Contact {i}")
        for i, p in enumerate(parties)
    )
    # The history page of each model's first record lists n versions.
    for model in REGISTRY_MODELS:
        first_record = model.objects.order_by("pk").first()
        model.history.bulk_history_create([first_record] * n)
    # The page of the first party shows all its rows; give it many.
    first = parties[0]
    StandingChange.objects.bulk_create(
        StandingChange(
            party=first,
            status=Status.SUSPENDED if i % 2 == 0 else Status.MEMBER,
            date=D(2003, 1, 1) + datetime.timedelta(days=i),
            known_from=D(2003, 1, 1) + datetime.timedelta(days=i),
        )
        for i in range(n)
    )


# The same bound for 10 and for 200 rows: no page does a query per row.
MAX_QUERIES = 25


@pytest.mark.parametrize("rows", [10, 200])
@pytest.mark.parametrize("model", REGISTRY_MODELS, ids=lambda m: m.__name__)
def test_admin_pages_run_a_bounded_number_of_queries(
    clerk_client, django_assert_max_num_queries, model, rows
):
    populate(rows)
    for url in admin_urls(model):
        with django_assert_max_num_queries(MAX_QUERIES):
            response = clerk_client.get(url)
        assert response.status_code == 200, url


def test_every_registry_model_is_in_the_admin():
    assert all(site.is_registered(model) for model in REGISTRY_MODELS)


def test_the_party_list_shows_the_current_status(clerk_client, cica_record):
    response = clerk_client.get(
        reverse("admin:registry_party_changelist"), {"status": "member"}
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == 26
    assert "Bangladesh" in response.text
    assert "Ukraine" not in response.text


def test_searching_parties_by_alpha3_code(clerk_client, cica_record):
    response = clerk_client.get(
        reverse("admin:registry_party_changelist"), {"q": "KAZ"}
    )
    assert [p.name for p in response.context["cl"].result_list] == ["Kazakhstan"]


def add_change_form(party, **data):
    return {
        "party": party.pk,
        "status": Status.MEMBER,
        "date": "2012-01-01",
        "precision": "day",
        "basis": "",
        "source": "",
        "note": "",
        **data,
    }


def test_an_illegal_change_shows_the_rule_beside_the_field_and_saves_nothing(
    clerk_client, cica_record
):
    kazakhstan = Party.objects.get_by_natural_key("KAZ")
    before = StandingChange.objects.count()
    response = clerk_client.post(
        reverse("admin:registry_standingchange_add"), add_change_form(kazakhstan)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == [
        rules.ALREADY_MEMBER % {"party": kazakhstan, "on": "on 1 Jan 2012"}
    ]
    assert StandingChange.objects.count() == before


def test_a_legal_change_from_the_admin_records_the_user_in_history(clerk_client, clerk):
    from tests.factories import StateFactory

    state = StateFactory(country="MN")
    response = clerk_client.post(
        reverse("admin:registry_standingchange_add"), add_change_form(state)
    )
    assert response.status_code == 302
    change = StandingChange.objects.get(party=state)
    assert change.history.get().history_user == clerk


def timeline_formset_data(party, rows, existing=()):
    data = {
        "kind": party.kind,
        "name": party.name,
        "country": party.country.code,
        "acronym": "",
        "in_asia": "on",
        "source": "",
        "note": "",
        "standing_changes-TOTAL_FORMS": str(len(existing) + len(rows)),
        "standing_changes-INITIAL_FORMS": str(len(existing)),
        "standing_changes-MIN_NUM_FORMS": "0",
        "standing_changes-MAX_NUM_FORMS": "1000",
        "chairmanship_terms-TOTAL_FORMS": "0",
        "chairmanship_terms-INITIAL_FORMS": "0",
        "chairmanship_terms-MIN_NUM_FORMS": "0",
        "chairmanship_terms-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate([*existing, *rows]):
        for key, value in row.items():
            data[f"standing_changes-{i}-{key}"] = value
        data[f"standing_changes-{i}-party"] = party.pk
    return data


def test_the_party_page_validates_the_timeline_as_a_whole(clerk_client):
    from tests.factories import StateFactory

    qatar = StateFactory(country="QA", name="Qatar")
    url = reverse("admin:registry_party_change", args=[qatar.pk])
    row = {"basis": "", "source": "", "note": "", "precision": "day"}
    illegal = [
        {**row, "status": "member", "date": "2008-08-25"},
        {**row, "status": "observer", "date": "2014-05-20"},
    ]
    response = clerk_client.post(url, timeline_formset_data(qatar, illegal))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert errors[1]["status"] == [
        rules.OBSERVER_FOR_MEMBER % {"party": qatar, "on": "on 20 May 2014"}
    ]
    assert not StandingChange.objects.exists()

    legal = [
        {**row, "status": "observer", "date": "2008-08-25"},
        {**row, "status": "member", "date": "2014-05-20"},
    ]
    response = clerk_client.post(url, timeline_formset_data(qatar, legal))
    assert response.status_code == 302
    assert [c.status for c in qatar.standing_changes.all()] == ["observer", "member"]


def test_deleting_a_change_that_others_depend_on_is_refused_in_the_admin(clerk_client):
    from tests.factories import StandingChangeFactory, member

    state = member(D(2002, 6, 4), country="AF")
    StandingChangeFactory(party=state, status=Status.SUSPENDED, date=D(2021, 9, 1))
    admission = state.standing_changes.get(status=Status.MEMBER)
    url = reverse("admin:registry_standingchange_delete", args=[admission.pk])
    response = clerk_client.post(url, {"post": "yes"}, follow=True)
    assert StandingChange.objects.filter(pk=admission.pk).exists()
    assert "would make the change of 1 Sep 2021 illegal" in response.text


def test_an_overlapping_term_is_refused_in_the_admin(clerk_client, cica_record):
    mongolia = Party.objects.get_by_natural_key("MNG")
    response = clerk_client.post(
        reverse("admin:registry_chairmanshipterm_add"),
        {
            "party": mongolia.pk,
            "start": "2013-01-01",
            "start_precision": "day",
            "planned_end": "",
            "planned_end_precision": "day",
            "actual_end": "",
            "actual_end_precision": "day",
            "extends": "",
            "basis": "",
            "source": "",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "only one state chairs CICA at a time" in str(
        response.context["adminform"].form.errors["start"]
    )
    assert not ChairmanshipTerm.objects.filter(party=mongolia).exists()


def test_history_can_be_reverted_from_the_admin(clerk_client, cica_record):
    thailand = Party.objects.get_by_natural_key("THA")
    original = thailand.history.earliest()
    thailand.name = "Kingdom of Thailand"
    thailand.save()
    url = reverse(
        "admin:registry_party_simple_history", args=[thailand.pk, original.history_id]
    )
    response = clerk_client.post(
        url,
        {
            **timeline_formset_data(thailand, []),
            "name": "Thailand",
            "revert_reason": "The short name is the one the sources use",
        },
    )
    assert response.status_code == 302
    assert Party.objects.get(pk=thailand.pk).name == "Thailand"


def test_reverting_with_the_form_as_shown_restores_the_old_version(
    clerk_client, cica_record
):
    """The revert form starts from the old version: submitting it untouched reverts."""
    import re

    thailand = Party.objects.get_by_natural_key("THA")
    original = thailand.history.earliest()
    thailand.name = "Kingdom of Thailand"
    thailand.save()
    url = reverse(
        "admin:registry_party_simple_history", args=[thailand.pk, original.history_id]
    )
    page = clerk_client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {
        k: ("on" if v is True else "" if v in (None, False) else v)
        for k, v in data.items()
    }
    assert re.search("Thailand", page.text)
    data["revert_reason"] = "The short name is the one the sources use"
    response = clerk_client.post(url, data)
    assert response.status_code == 302
    assert Party.objects.get(pk=thailand.pk).name == "Thailand"
    assert thailand.history.count() == 3  # created, renamed, reverted


@pytest.mark.parametrize("typed", ["25/10/2006", "25.10.2006", "2006-10-25"])
def test_a_date_is_taken_as_clerks_type_it(typed):
    from django import forms

    assert forms.DateField().clean(typed) == datetime.date(2006, 10, 25)
