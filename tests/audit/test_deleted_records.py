import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cica_admin.core.audit import restore
from finance import services as finance_services
from finance.models import Contribution
from meetings.models import Decision, DecisionKind, Delegation, Meeting, Procedure
from registry import services
from registry.models import Party, StandingChange
from tests.factories import (
    MeetingFactory,
    StandingChangeFactory,
    StateFactory,
    reading,
    reverting,
    staff_with,
)

pytestmark = pytest.mark.django_db

DELETED = reverse("admin:deleted_records")


def restore_url(model, pk):
    opts = model._meta
    return reverse(
        "admin:restore_record", args=[f"{opts.app_label}.{opts.model_name}", pk]
    )


def delete(record, user=None):
    record._history_user = user
    pk = record.pk
    record.delete()
    return pk


def listed(client, **params):
    response = client.get(DELETED, params)
    assert response.status_code == 200
    return [
        (entry.model._meta.label, entry.object_id)
        for entry in response.context["entries"]
    ]


def post(client, url):
    """POST ``url``; the page it leads to, and the messages that page shows."""
    response = client.post(url, follow=True)
    return response, [str(message) for message in response.context["messages"]]


def history_values(model, pk):
    return list(
        model.history.filter(id=pk)
        .order_by("history_id")
        .values_list("history_id", "history_type", "history_user", "name")
    )


@pytest.fixture
def restorer(client):
    """Staff who may view and add parties, nothing else."""
    client.force_login(staff_with(*reading("party"), "add_party"))
    return client


def test_a_deleted_record_is_listed_and_keeps_its_history(restorer, clerk):
    state = StateFactory(name="Siam")
    state.name = "Thailand"
    services.record_save(state, actor=clerk)
    kept = StateFactory(name="Kept")
    pk = delete(state, clerk)
    assert [kind for _id, kind, *_rest in history_values(Party, pk)] == ["+", "~", "-"]
    assert listed(restorer) == [("registry.Party", pk)]
    entry = restorer.get(DELETED).context["entries"][0]
    assert (entry.record_name, entry.user, entry.may_restore) == (
        "Thailand",
        clerk,
        True,
    )
    assert kept.pk not in [record_id for _label, record_id in listed(restorer)]


def test_restoring_brings_the_record_back_with_its_whole_history(restorer, clerk):
    state = StateFactory(name="Siam", note="founding member")
    state.name = "Thailand"
    services.record_save(state, actor=clerk)
    pk = delete(state, clerk)
    before = history_values(Party, pk)
    page = restorer.get(restore_url(Party, pk))
    assert page.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert history_values(Party, pk) == before  # the confirmation writes nothing
    response, messages = post(restorer, restore_url(Party, pk))
    assert response.redirect_chain == [
        (reverse("admin:registry_party_change", args=[pk]), 302)
    ]
    assert messages == ["Thailand was restored, with its history."]
    restored = Party.objects.get(pk=pk)
    assert (restored.name, restored.note) == ("Thailand", "founding member")
    after = history_values(Party, pk)
    assert after[:3] == before  # the old rows are untouched
    (new,) = Party.history.filter(history_id=after[3][0])
    assert (new.history_type, new.history_user, new.history_change_reason) == (
        "+",
        response.wsgi_request.user,
        restore.RESTORED,
    )
    assert listed(restorer) == []


def test_the_history_page_tells_delete_then_restore(clerk_client, clerk):
    state = StateFactory(name="Siam")
    pk = delete(state, clerk)
    post(clerk_client, restore_url(Party, pk))
    response = clerk_client.get(reverse("admin:registry_party_history", args=[pk]))
    assert response.status_code == 200
    kinds = [row.history_type for row in response.context["page_obj"]]
    assert kinds == ["+", "-", "+"]  # newest first: restored, deleted, added


def test_a_user_who_may_not_add_sees_no_restore_and_cannot_post_one(client):
    state = StateFactory(name="Siam")
    pk = delete(state)
    client.force_login(staff_with(*reading("party"), "change_party", "delete_party"))
    response = client.get(DELETED)
    assert response.context["entries"][0].may_restore is False
    assert restore_url(Party, pk) not in response.content.decode()
    assert client.post(restore_url(Party, pk)).status_code == 403
    assert client.get(restore_url(Party, pk)).status_code == 403
    assert not Party.objects.filter(pk=pk).exists()
    assert Party.history.filter(id=pk).count() == 2


def test_deleted_records_are_listed_only_to_who_may_view_them(client, clerk):
    state = StateFactory(name="Kazakhstan", country="KZ")
    contribution = finance_services.contribution_record(
        party=state,
        amount=Decimal("1000"),
        currency="USD",
        received=datetime.date(2014, 3, 1),
    )
    pk = delete(contribution, clerk)
    client.force_login(staff_with(*reading("party"), "add_party", "add_contribution"))
    assert listed(client) == []
    response = client.get(DELETED, {"model": "finance.contribution"})
    assert response.status_code == 400
    assert client.post(restore_url(Contribution, pk)).status_code == 404
    client.force_login(staff_with("view_contribution"))
    assert listed(client) == []  # the records, not their history
    client.force_login(staff_with(*reading("contribution")))
    assert listed(client) == [("finance.Contribution", pk)]


def test_a_restore_the_rules_refuse_writes_nothing(restorer, clerk):
    state = StateFactory(name="Thailand", country="TH")
    pk = delete(state, clerk)
    StateFactory(name="Kingdom of Thailand", country="TH")
    before = history_values(Party, pk)
    response, messages = post(restorer, restore_url(Party, pk))
    assert response.redirect_chain == [(DELETED, 302)]
    assert messages == [
        "Thailand cannot be restored: Country: This country is already a party."
    ]
    assert not Party.objects.filter(pk=pk).exists()
    assert history_values(Party, pk) == before
    assert listed(restorer) == [("registry.Party", pk)]


def test_a_record_whose_parent_is_deleted_waits_for_the_parent(client, clerk):
    client.force_login(
        staff_with(*reading("meeting", "delegation"), "add_meeting", "add_delegation")
    )
    meeting = MeetingFactory(title="Fifth Summit", start=datetime.date(2016, 9, 12))
    state = StateFactory(name="Qatar")
    delegation = services.record_save(Delegation(meeting=meeting, party=state))
    delegation_pk = delegation.pk
    meeting_pk = delete(meeting, clerk)  # takes its delegations with it
    assert set(listed(client)) == {
        ("meetings.Meeting", meeting_pk),
        ("meetings.Delegation", delegation_pk),
    }
    _response, messages = post(client, restore_url(Delegation, delegation_pk))
    assert messages == [
        "Qatar at Fifth Summit cannot be restored: its meeting, Fifth Summit "
        "(12 Sep 2016), is deleted too. Restore Fifth Summit (12 Sep 2016) first."
    ]
    assert not Delegation.objects.filter(pk=delegation_pk).exists()
    post(client, restore_url(Meeting, meeting_pk))
    _response, messages = post(client, restore_url(Delegation, delegation_pk))
    assert messages == ["Qatar at Fifth Summit was restored, with its history."]
    assert Delegation.objects.get(pk=delegation_pk).meeting_id == meeting_pk
    assert listed(client) == []


def test_a_decision_gets_its_links_back(clerk_client, clerk):
    kept = StandingChangeFactory(party=StateFactory(name="Qatar"))
    lost_party = StateFactory(name="Bangladesh")
    lost = StandingChangeFactory(party=lost_party)
    decision = services.record_save(
        Decision(kind=DecisionKind.ADMISSION, procedure=Procedure.OTHER, text="Admit")
    )
    decision.standing_changes.add(kept, lost)
    pk = delete(decision, clerk)
    services.standing_change_delete(lost)
    _response, messages = post(clerk_client, restore_url(Decision, pk))
    restored = Decision.objects.get(pk=pk)
    assert list(restored.standing_changes.all()) == [kept]
    assert messages[1] == restore.LINKS_LOST % {
        "record": str(restored),
        "targets": "Bangladesh: member (25 Aug 2008)",
    }
    # The links are in the history too: the last row holds them.
    last = restored.history.order_by("-history_id").first()
    assert list(last.standing_changes.values_list("standingchange", flat=True)) == [
        kept.pk
    ]


def test_restoring_a_record_that_exists_is_refused(restorer):
    state = StateFactory(name="Here")
    response, messages = post(restorer, restore_url(Party, state.pk))
    assert response.redirect_chain == [(DELETED, 302)]
    assert messages == [restore.NOT_DELETED % {"record": f"Party #{state.pk}"}]
    assert Party.history.filter(id=state.pk).count() == 1


def test_a_restored_change_of_standing_obeys_the_timeline(clerk_client):
    state = StateFactory(name="Qatar")
    member = StandingChangeFactory(party=state, date=datetime.date(2008, 8, 25))
    pk = member.pk
    services.standing_change_delete(member)
    # Meanwhile the party was recorded as a member from another date: a second
    # admission of a member is not a legal change.
    StandingChangeFactory(party=state, date=datetime.date(2006, 1, 1))
    _response, messages = post(clerk_client, restore_url(StandingChange, pk))
    assert messages == [
        "Qatar: member (25 Aug 2008) cannot be restored: New status: Qatar is "
        "already a member on 25 Aug 2008."
    ]
    assert not StandingChange.objects.filter(pk=pk).exists()


def test_a_change_of_standing_is_restored_through_its_service(clerk_client):
    """The service (which locks the party's timeline) takes a restored change as
    new, though it comes back with its old number."""
    state = StateFactory(name="Qatar")
    member = StandingChangeFactory(party=state, date=datetime.date(2008, 8, 25))
    pk = member.pk
    services.standing_change_delete(member)
    _response, messages = post(clerk_client, restore_url(StandingChange, pk))
    assert messages == ["Qatar: member (25 Aug 2008) was restored, with its history."]
    assert StandingChange.objects.get(pk=pk).party == state
    kinds = StandingChange.history.filter(id=pk).order_by("history_id")
    assert [row.history_type for row in kinds] == ["+", "-", "+"]


def test_the_deleted_records_answer_no_post(clerk_client):
    assert clerk_client.post(DELETED).status_code == 405


def test_a_deleted_record_comes_back_by_a_restore_not_by_a_revert(client):
    """The history's revert form of a deleted record leads to the restore, which
    needs the add permission: change rights alone bring nothing back."""
    party = StateFactory()
    first = Party.history.get(id=party.pk, history_type="+")
    pk = party.pk
    party.delete()
    revert = reverse("admin:registry_party_simple_history", args=[pk, first.history_id])
    restore = reverse("admin:restore_record", args=["registry.party", pk])
    client.force_login(staff_with(*reverting("party")))

    page = client.get(revert)  # still readable, but offers no revert
    assert page.status_code == 200
    assert page.context["revert_disabled"] is True
    assert client.post(revert, {"name": "Back"}).url == restore
    assert client.post(restore).status_code == 403
    assert not Party.objects.filter(pk=pk).exists()


def test_a_record_deleted_with_its_parent_is_named_as_it_was(client, clerk):
    """Not "Delegation #16": the list, the restore page and the record's history
    name it with its meeting as the meeting last was."""
    client.force_login(
        staff_with(*reading("meeting", "delegation"), "add_meeting", "add_delegation")
    )
    meeting = MeetingFactory(title="Fifth Summit", start=datetime.date(2016, 9, 12))
    state = StateFactory(name="Qatar")
    delegation_pk = services.record_save(Delegation(meeting=meeting, party=state)).pk
    delete(meeting, clerk)

    names = {entry.record_name for entry in client.get(DELETED).context["entries"]}
    assert names == {"Fifth Summit (12 Sep 2016)", "Qatar at Fifth Summit"}
    page = client.get(restore_url(Delegation, delegation_pk)).content.decode()
    assert "Fifth Summit (12 Sep 2016) (deleted)" in page
    history = client.get(
        reverse("admin:meetings_delegation_history", args=[delegation_pk])
    )
    assert history.status_code == 200
    assert "Qatar at Fifth Summit" in history.content.decode()
    version = Delegation.history.get(id=delegation_pk, history_type="+")
    page = client.get(
        reverse(
            "admin:meetings_delegation_simple_history",
            args=[delegation_pk, version.history_id],
        )
    )
    assert page.status_code == 200
    assert "Qatar at Fifth Summit" in page.content.decode()


def test_the_audit_log_link_is_offered_only_to_who_may_open_it(client, clerk):
    delete(StateFactory(), clerk)
    link = "audit log of this record"
    client.force_login(staff_with(*reading("party")))
    assert link not in client.get(DELETED).content.decode()
    client.force_login(staff_with(*reading("party"), "view_audit_log"))
    assert link in client.get(DELETED).content.decode()


def test_naming_deleted_records_costs_the_same_for_few_or_many(client, clerk):
    """A deleted delegation is named by its deleted meeting, and the meeting by its
    body: loaded a kind at a time, not a record at a time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff_with(*reading("meeting", "delegation")))

    def deleted_meetings(count):
        for number in range(count):
            meeting = MeetingFactory(title="", ordinal=100 + number)  # named by body
            services.record_save(Delegation(meeting=meeting, party=StateFactory()))
            delete(meeting, clerk)
        with CaptureQueriesContext(connection) as queries:
            entries = client.get(DELETED).context["entries"]
        assert all("#" not in entry.record_name for entry in entries)
        return len(queries)

    assert deleted_meetings(2) == deleted_meetings(10)
