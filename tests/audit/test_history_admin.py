"""History rows cannot be edited or deleted through the admin: no historical model
has an admin page, and reverting a record from its history adds a row."""

import datetime
import zoneinfo

import pytest
from django.contrib import admin
from django.urls import reverse

from cica_admin.core.history import tracked_models
from registry import services
from registry.models import Party
from tests.factories import StateFactory, reverting, staff_with
from tests.helpers import form_data

pytestmark = pytest.mark.django_db
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")  # TIME_ZONE


def historical_models():
    for model in tracked_models():
        history_model = model.history.model
        yield history_model
        for field in getattr(history_model, "_history_m2m_fields", ()):
            yield getattr(history_model, field.name).model


@pytest.mark.parametrize("history_model", list(historical_models()), ids=str)
def test_no_history_model_has_an_admin_page(history_model):
    assert not admin.site.is_registered(history_model)


def test_every_tracked_model_is_covered():
    # If a model's history were registered under another name, the list above would
    # not show it: there are 19 tracked models and 3 link tables of decisions.
    assert len(list(historical_models())) == 22


def rows(state):
    """Every stored value of every history row of ``state``."""
    return list(Party.history.filter(id=state.pk).order_by("history_id").values())


@pytest.fixture
def renamed():
    state = StateFactory(name="Siam")
    state.name = "Thailand"
    services.record_save(state)
    return state


def revert_url(state):
    first = Party.history.filter(id=state.pk).earliest()
    return reverse(
        "admin:registry_party_simple_history", args=[state.pk, first.history_id]
    )


def test_a_revert_adds_a_row_and_leaves_the_earlier_ones_alone(client, renamed):
    user = staff_with(*reverting("party"))
    client.force_login(user)
    before = rows(renamed)
    page = client.get(revert_url(renamed))
    assert page.status_code == 200
    data = {**form_data(page, "historicalparty_form"), "revert_reason": "Typo"}
    response = client.post(revert_url(renamed), data)
    assert response.status_code == 302
    assert Party.objects.get(pk=renamed.pk).name == "Siam"
    after = rows(renamed)
    assert after[:2] == before
    assert (after[2]["name"], after[2]["history_type"]) == ("Siam", "~")
    assert after[2]["history_user_id"] == user.pk


def test_a_revert_asks_for_a_reason_and_keeps_it_in_the_history(client, renamed):
    client.force_login(staff_with(*reverting("party")))
    page = client.get(revert_url(renamed))
    assert 'name="revert_reason"' in page.text
    data = form_data(page, "historicalparty_form")
    refused = client.post(revert_url(renamed), {**data, "revert_reason": ""})
    assert refused.status_code == 200  # the form again, with the field's error
    assert "This field is required." in refused.text
    assert Party.objects.get(pk=renamed.pk).name == "Thailand"
    reason = "The renaming was entered on the wrong record"
    response = client.post(revert_url(renamed), {**data, "revert_reason": reason})
    assert response.status_code == 302
    latest = Party.history.filter(id=renamed.pk).latest()
    assert (latest.name, latest.history_change_reason) == ("Siam", reason)


def test_the_revert_page_names_the_record_not_its_history_model(client, renamed):
    client.force_login(staff_with(*reverting("party")))
    page = client.get(revert_url(renamed)).text
    breadcrumbs = page.split('<div class="breadcrumbs">')[1].split("</div>")[0]
    assert "Historical" not in breadcrumbs
    assert ">Parties</a>" in breadcrumbs
    assert "Revert Thailand to an earlier version" in breadcrumbs


def test_who_may_only_view_sees_the_history_but_cannot_revert(client, renamed):
    client.force_login(staff_with("view_party", "view_historicalparty"))
    history = client.get(reverse("admin:registry_party_history", args=[renamed.pk]))
    assert history.status_code == 200
    assert len(history.context["page_obj"]) == 2
    page = client.get(revert_url(renamed))
    assert page.status_code == 200
    before = rows(renamed)
    response = client.post(revert_url(renamed), form_data(page, "historicalparty_form"))
    assert response.status_code == 403
    assert rows(renamed) == before
    assert Party.objects.get(pk=renamed.pk).name == "Thailand"


def test_the_history_page_writes_no_none_for_a_missing_user_or_reason(clerk_client):
    party = StateFactory()  # written by no user, with no reason
    page = clerk_client.get(
        reverse("admin:registry_party_history", args=[party.pk])
    ).content.decode()
    assert Party.history.get(id=party.pk).history_change_reason is None
    assert "None" not in page
    assert "no user recorded" in page


def test_the_history_page_tells_the_time_on_the_24_hour_clock(clerk_client):
    party = StateFactory()
    Party.history.filter(id=party.pk).update(
        history_date=datetime.datetime(2026, 3, 2, 0, 15, tzinfo=ALMATY)
    )
    page = clerk_client.get(
        reverse("admin:registry_party_history", args=[party.pk])
    ).content.decode()
    assert "2 Mar 2026, 00:15" in page  # as in the audit log, not "12:15 a.m."


@pytest.mark.parametrize(
    "path",
    ["{pk}/history/change/", "{pk}/history/99999/", "abc/history/", "abc/history/1/"],
)
def test_a_mistyped_history_address_is_not_found_rather_than_an_error(
    clerk_client, path
):
    party = StateFactory()
    url = reverse("admin:registry_party_changelist") + path.format(pk=party.pk)
    assert clerk_client.get(url).status_code == 404


def test_a_version_naming_a_record_deleted_since_still_opens(clerk_client):
    """A delegation moved to another party, the first party deleted: its first
    version names that party as it last was, not a server error."""
    from meetings.models import Delegation
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(title="Sixth Summit")
    first = StateFactory(name="Atlantis")
    delegation = services.record_save(Delegation(meeting=meeting, party=first))
    delegation.party = StateFactory(name="Qatar")
    services.record_save(delegation)
    first.delete()
    version = Delegation.history.get(id=delegation.pk, history_type="+")

    page = clerk_client.get(
        reverse(
            "admin:meetings_delegation_simple_history",
            args=[delegation.pk, version.history_id],
        )
    )

    assert page.status_code == 200
    assert "Atlantis at Sixth Summit" in page.content.decode()


def test_who_may_not_revert_sees_a_version_as_text_not_as_a_form(client):
    party = StateFactory(name="Siam")
    version = Party.history.get(id=party.pk)
    url = reverse("admin:registry_party_simple_history", args=[party.pk, version.pk])

    client.force_login(staff_with("view_party", "view_historicalparty"))
    page = client.get(url).content.decode()
    assert 'name="name"' not in page  # no text box
    assert "Siam" in page
    assert 'class="readonly"' in page

    client.force_login(staff_with(*reverting("party")))
    assert 'name="name"' in client.get(url).content.decode()  # may revert: a form
