"""Two clerks open the same record and both save: the second save is refused with what
changed, and the first survives. For a change form, an inline row and a list-editable
field."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cica_admin.core.concurrency import VERSION, latest_versions
from meetings.models import Body
from registry import services
from registry.models import Party, StandingChange, Status
from tests.factories import (
    StandingChangeFactory,
    StateFactory,
    UserFactory,
)
from tests.helpers import form_data

pytestmark = pytest.mark.django_db


def clerk_session(username):
    client = Client()
    client.force_login(UserFactory(username=username))
    return client


@pytest.fixture
def asel():
    return clerk_session("asel")


@pytest.fixture
def bolat():
    return clerk_session("bolat")


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def opened(client, url, form_id):
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response, form_id)


def test_second_save_of_a_change_form_is_refused_and_says_what_changed(asel, bolat):
    party = StateFactory(country="KZ", note="")
    url = change_url(party)
    form_asel = opened(asel, url, "party_form")
    form_bolat = opened(bolat, url, "party_form")
    assert form_asel[VERSION] == form_bolat[VERSION] != ""

    response = bolat.post(url, {**form_bolat, "note": "Bolat's note"})
    assert response.status_code == 302

    response = asel.post(url, {**form_asel, "source": "Asel's source"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "was changed by bolat" in page
    assert "note — → “Bolat’s note”" in page or "note — → “Bolat&#x27;s note”" in page
    party.refresh_from_db()
    assert party.note == "Bolat's note"
    assert party.source != "Asel's source"
    assert party.history.count() == 2  # created, then Bolat's save: nothing of Asel's


def test_a_save_from_the_current_version_goes_through(asel):
    party = StateFactory(country="KZ")
    url = change_url(party)
    asel.post(url, {**opened(asel, url, "party_form"), "note": "first"})
    response = asel.post(url, {**opened(asel, url, "party_form"), "note": "second"})
    assert response.status_code == 302
    party.refresh_from_db()
    assert party.note == "second"


def test_a_stale_inline_row_is_refused_and_the_other_save_survives(asel, bolat):
    party = StateFactory(country="KZ")
    change = StandingChangeFactory(party=party, status=Status.MEMBER)
    url = change_url(party)
    form_asel = opened(asel, url, "party_form")
    form_bolat = opened(bolat, url, "party_form")
    row = next(
        name.removesuffix("-id")
        for name, value in form_asel.items()
        if name.startswith("standing_changes-")
        and name.endswith("-id")
        and value == str(change.pk)
    )
    assert form_asel[f"{row}-{VERSION}"] != ""

    response = bolat.post(url, {**form_bolat, f"{row}-note": "by Bolat"})
    assert response.status_code == 302
    response = asel.post(url, {**form_asel, f"{row}-note": "by Asel"})
    assert response.status_code == 200
    assert "was changed by bolat" in response.content.decode()
    change.refresh_from_db()
    assert change.note == "by Bolat"


def test_a_stale_list_editable_field_is_refused(asel, bolat):
    body = Body.objects.create(
        code="summit", name="Summit", meeting_name="Summit", max_interval_years=4
    )
    services.record_save(body)  # a history row: the version the pages show
    url = reverse("admin:meetings_body_changelist")
    form_asel = opened(asel, url, "changelist-form")
    form_bolat = opened(bolat, url, "changelist-form")
    assert form_asel["form-0-id"] == str(body.pk)
    assert form_asel[f"form-0-{VERSION}"] != ""

    response = bolat.post(
        url, {**form_bolat, "form-0-max_interval_years": "3", "_save": "Save"}
    )
    assert response.status_code == 302
    response = asel.post(
        url, {**form_asel, "form-0-max_interval_years": "5", "_save": "Save"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "was changed by bolat" in page
    assert "“4” → “3”" in page
    body.refresh_from_db()
    assert body.max_interval_years == 3


def test_a_change_by_a_command_between_open_and_save_is_a_conflict(asel):
    party = StateFactory(country="KZ")
    url = change_url(party)
    form = opened(asel, url, "party_form")
    party.note = "set by a command"
    services.record_save(party, reason="load_cica")
    response = asel.post(url, {**form, "note": "mine"})
    assert response.status_code == 200
    assert "was changed by a command" in response.content.decode()
    party.refresh_from_db()
    assert party.note == "set by a command"


def test_a_revert_from_history_is_refused_when_the_record_changed_after(asel):
    party = StateFactory(country="KZ")
    first = party.history.earliest()
    party.note = "second"
    services.record_save(party)
    url = reverse(
        "admin:registry_party_simple_history", args=[party.pk, first.history_id]
    )
    form = opened(asel, url, "historicalparty_form")
    assert form[VERSION] == str(party.history.latest().history_id)
    party.note = "third"
    services.record_save(party)
    response = asel.post(url, form)
    assert response.status_code == 200
    assert "was changed by" in response.content.decode()
    party.refresh_from_db()
    assert party.note == "third"


def test_versions_of_many_records_take_one_query(django_assert_num_queries):
    parties = [StateFactory() for _ in range(12)]
    for party in parties[:5]:
        party.note = "again"
        services.record_save(party)
    with django_assert_num_queries(1):
        versions = latest_versions(Party, [p.pk for p in parties])
    assert versions == {
        p.pk: p.history.order_by("-history_id").first().history_id for p in parties
    }


@pytest.mark.parametrize("rows", [3, 15])
def test_the_inline_rows_are_checked_in_one_query_whatever_their_number(asel, rows):
    party = StateFactory()
    for year in range(2000, 2000 + rows):  # a member, suspended, reinstated, ...
        StandingChangeFactory(
            party=party,
            status=Status.MEMBER if year % 2 == 0 else Status.SUSPENDED,
            date=datetime.date(year, 1, 1),
        )
    url = change_url(party)
    form = opened(asel, url, "party_form")
    edited = {
        name.replace("-id", "-note"): f"checked {value}"
        for name, value in form.items()
        if name.startswith("standing_changes-") and name.endswith("-id") and value
    }
    assert len(edited) == rows
    with CaptureQueriesContext(connection) as captured:
        response = asel.post(url, {**form, **edited})
    assert response.status_code == 302
    version_lookups = [
        query["sql"]
        for query in captured
        if "historicalstandingchange" in query["sql"] and "MAX(" in query["sql"]
    ]
    assert len(version_lookups) == 1


def test_history_rows_of_a_standing_change_give_its_version():
    change = StandingChangeFactory()
    assert latest_versions(StandingChange, [change.pk]) == {
        change.pk: change.history.get().history_id
    }


def test_saving_a_record_leaves_its_untouched_inline_rows_alone(asel):
    """The version each row carries is not an edit: only edited rows are saved."""
    party = StateFactory(country="KZ")
    change = StandingChangeFactory(party=party)
    url = change_url(party)
    response = asel.post(url, {**opened(asel, url, "party_form"), "note": "edited"})
    assert response.status_code == 302
    assert change.history.count() == 1
    assert party.history.count() == 2


def test_a_row_changed_elsewhere_only_in_fields_not_on_the_page_does_not_block(asel):
    """A list row carries only its editable columns: if someone changed another
    field of it meanwhile, saving the page writes nothing of that row over their
    change, so it must not be refused. (A row whose shown value changed is refused:
    the page would write the old value back.)"""
    bodies = [
        Body.objects.create(
            code=code, name=code, meeting_name=code, max_interval_years=4
        )
        for code in ("ministerial", "summit")
    ]
    for body in bodies:
        services.record_save(body)
    ministerial, summit = bodies
    url = reverse("admin:meetings_body_changelist")
    form = opened(asel, url, "changelist-form")
    row = {form[f"form-{i}-id"]: i for i in range(2)}

    summit.name = "Summit of heads of state"
    services.record_save(summit)
    response = asel.post(
        url,
        {
            **form,
            f"form-{row[str(ministerial.pk)]}-max_interval_years": "2",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    ministerial.refresh_from_db()
    summit.refresh_from_db()
    assert (ministerial.max_interval_years, summit.name) == (
        2,
        "Summit of heads of state",
    )


@pytest.mark.django_db(transaction=True)
def test_long_reads_run_outside_the_request_transaction(client, monkeypatch):
    """On SQLite a request's transaction takes the write lock: the audit log, its
    export and the deleted records must not hold up every save while they read. A
    change form, by contrast, reads its record inside the transaction it saves in."""
    from cica_admin.core import concurrency, history

    inside = []

    def spy(real):
        def called(*args, **kwargs):
            inside.append((real.__name__, connection.in_atomic_block))
            return real(*args, **kwargs)

        return called

    monkeypatch.setattr(history, "pick", spy(history.pick))
    monkeypatch.setattr(
        concurrency, "latest_versions", spy(concurrency.latest_versions)
    )
    client.force_login(UserFactory(username="reader"))
    party = StateFactory()

    for url in (
        reverse("admin:audit_log"),
        reverse("admin:audit_log") + "?format=xlsx",
        reverse("admin:deleted_records"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:  # the export reads as it is sent
            b"".join(response.streaming_content)
    assert client.get(change_url(party)).status_code == 200

    assert ("pick", True) not in inside
    assert ("pick", False) in inside
    assert ("latest_versions", True) in inside


def test_a_record_deleted_after_the_form_opened_is_said_to_be_deleted(asel):
    """Django answers a form of a deleted record before any check runs; the check
    still names the deletion rather than listing changes."""
    from cica_admin.core.concurrency import conflict_message

    party = StateFactory(name="Kazakhstan")
    seen = latest_versions(Party, [party.pk])[party.pk]
    pk = party.pk
    party._history_user = UserFactory(username="bolat")
    party.delete()

    message = conflict_message(Party, pk, seen, latest_versions(Party, [pk])[pk])

    assert message.startswith("Not saved: Kazakhstan was deleted by bolat (")
    assert message.endswith(") after you opened it.")


def test_a_save_between_reading_a_record_and_its_version_is_not_undone(asel):
    """Someone saves while the page is being read, between the record and its
    version. Whatever the order of the two reads, that save must survive the save of
    the form the page shows."""
    party = StateFactory(country="KZ", note="")
    url = change_url(party)
    tables = ('"registry_party"', '"registry_historicalparty"')
    meanwhile = []

    def save_after_the_first_read(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not meanwhile and sql.startswith("SELECT") and any(t in sql for t in tables):
            meanwhile.append(sql)
            other = Party.objects.get(pk=party.pk)
            other.note = "saved meanwhile"
            services.record_save(other)
        return result

    with connection.execute_wrapper(save_after_the_first_read):
        form = opened(asel, url, "party_form")
    assert meanwhile

    asel.post(url, {**form, "source": "Asel's source"})

    party.refresh_from_db()
    assert party.note == "saved meanwhile"


def row_locks(queries):
    """The tables whose rows each ``SELECT ... FOR UPDATE`` of ``queries`` locks
    (its outer table, not those of its subqueries), in order."""
    return [
        query["sql"].split('"', 2)[1]
        for query in queries
        if query["sql"].startswith('SELECT "') and "FOR UPDATE" in query["sql"]
    ]


@pytest.mark.skipif(
    not connection.features.has_select_for_update, reason="SQLite locks no rows"
)
@pytest.mark.parametrize("page", ["standing change", "its party, with the inline"])
def test_every_save_of_a_standing_change_locks_its_party_first(asel, page):
    """The party page locks the party, then its standing changes; the standing change
    page must do the same, or two clerks could each hold the row the other waits for
    (PostgreSQL's "deadlock detected")."""
    change = StandingChangeFactory(note="")
    if page == "standing change":
        url, form_id, edit = change_url(change), "standingchange_form", "note"
    else:
        url, form_id = change_url(change.party), "party_form"
        data = opened(asel, url, form_id)
        row = next(
            k for k, v in data.items() if k.endswith("-id") and v == str(change.pk)
        )
        edit = row.removesuffix("-id") + "-note"
    data = opened(asel, url, form_id)

    with CaptureQueriesContext(connection) as queries:
        response = asel.post(url, {**data, edit: "edited"})

    assert response.status_code == 302
    assert row_locks(queries)[:2] == ["registry_party", "registry_standingchange"]


@pytest.mark.skipif(
    not connection.features.has_select_for_update, reason="SQLite locks no rows"
)
def test_a_contribution_moved_to_another_pledge_locks_both_pledges_first(asel):
    """Two clerks moving contributions between the same two pledges, each one way,
    must take the pledges' locks in the same order: both in one statement, before
    the contribution's own."""
    from decimal import Decimal

    from finance import services as finance
    from tests.factories import member

    party = member(country="KZ")
    pledges = [
        finance.pledge_record(
            party=party,
            amount=Decimal(1000),
            currency="USD",
            year=year,
            date=datetime.date(year, 1, 10),
        )
        for year in (2023, 2024)
    ]
    contribution = finance.contribution_record(
        party=party,
        amount=Decimal(100),
        currency="USD",
        received=datetime.date(2023, 3, 1),
        pledge=pledges[0],
    )
    url = change_url(contribution)
    data = opened(asel, url, "contribution_form")

    with CaptureQueriesContext(connection) as queries:
        response = asel.post(url, {**data, "pledge": str(pledges[1].pk)})

    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.pledge == pledges[1]
    assert row_locks(queries)[:2] == ["finance_pledge", "finance_contribution"]
    first = next(q["sql"] for q in queries if "FOR UPDATE" in q["sql"])
    assert f"IN ({pledges[1].pk})" in first  # the new pledge, with the old one
