import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cica_admin.core.audit import forms
from cica_admin.core.models import ImportBatch
from finance import services as finance_services
from meetings.models import Decision, DecisionKind, Delegation, Document, Procedure
from registry import services
from registry.models import Party
from tests.factories import (
    DocumentFactory,
    MeetingFactory,
    StandingChangeFactory,
    StateFactory,
    UserFactory,
    reading,
    staff_with,
)

from .conftest import at, audit_log, date_history, shown

pytestmark = pytest.mark.django_db


def rename(record, name, *, actor=None, reason=""):
    record.name = name
    return services.record_save(record, actor=actor, reason=reason)


def test_the_audit_log_needs_its_permission(client):
    client.force_login(staff_with("view_party"))
    assert audit_log(client).status_code == 403
    client.force_login(staff_with(*reading("party"), "view_audit_log"))
    assert audit_log(client).status_code == 200


def test_the_audit_log_answers_no_post(clerk_client):
    response = clerk_client.post(reverse("admin:audit_log"), {"model": "x"})
    assert response.status_code == 405


def test_a_change_shows_each_field_old_and_new(auditor_client, clerk):
    state = StateFactory(name="Siam")
    rename(state, "Thailand", actor=clerk, reason="renamed by its government")
    entry = audit_log(auditor_client).context["entries"][0]
    assert (entry.verb, entry.object_id, entry.user) == ("changed", state.pk, clerk)
    assert entry.reason == "renamed by its government"
    assert entry.record_name == "Thailand"
    assert entry.record_url == reverse("admin:registry_party_change", args=[state.pk])
    assert [str(change) for change in entry.changes] == ["Name: Siam → Thailand"]


def test_related_records_and_choices_are_shown_by_name(auditor_client):
    first, second = MeetingFactory(title="First Summit"), MeetingFactory(title="Other")
    document = DocumentFactory(title="Almaty Act", adopted_at=first)
    document.adopted_at = second
    document.kind = "rules_of_procedure"
    services.record_save(document)
    response = audit_log(auditor_client, model="meetings.document")
    changes = {c.field: (c.old, c.new) for c in response.context["entries"][0].changes}
    assert changes["Adopted or signed at"] == (str(first), str(second))
    assert changes["Kind"] == ("convention", "rules of procedure")
    assert response.context["entries"][0].record_name == "Almaty Act"


def test_a_related_record_deleted_since_is_named_as_it_was_and_marked_deleted(
    auditor_client, clerk
):
    meeting = MeetingFactory(title="Cancelled meeting")
    document = DocumentFactory(adopted_at=meeting)
    document.adopted_at = None
    services.record_save(document)
    when = meeting.when
    meeting.delete()
    response = audit_log(auditor_client, model="meetings.document", action="~")
    (change,) = response.context["entries"][0].changes
    assert change.old == f"Cancelled meeting ({when}) (deleted)"
    assert change.new == "—"


def test_an_added_record_shows_its_first_values(auditor_client):
    StateFactory(name="Mongolia", country="MN")
    entry = audit_log(auditor_client).context["entries"][0]
    assert entry.verb == "added"
    values = {change.field: change.new for change in entry.changes}
    assert values["Name"] == "Mongolia"
    assert values["Country"] == "Mongolia"  # the label of the choice, not "MN"
    assert values["Territory in Asia"] == "yes"


def test_a_deleted_record_is_named_from_its_history(auditor_client):
    state = StateFactory(name="Gone")
    pk = state.pk
    state.delete()
    entry = audit_log(auditor_client).context["entries"][0]
    assert (entry.verb, entry.object_id, entry.exists) == ("deleted", pk, False)
    assert entry.record_name == "Gone"
    assert entry.record_url == reverse("admin:registry_party_history", args=[pk])
    assert entry.changes_text() == "deleted"


def test_decision_links_are_diffed(clerk_client):
    change = StandingChangeFactory()
    decision = services.record_save(
        Decision(kind=DecisionKind.OTHER, procedure=Procedure.OTHER, text="Admitted")
    )
    decision.standing_changes.add(change)
    entry = audit_log(clerk_client, model="meetings.decision").context["entries"][0]
    assert [(c.field, c.old, c.new) for c in entry.changes] == [
        ("Changes of standing it caused", "—", str(change))
    ]


def test_finance_rows_never_reach_a_user_without_finance_permissions(
    auditor_client, client, clerk
):
    state = StateFactory(name="Kazakhstan", country="KZ")
    finance_services.contribution_record(
        party=state,
        amount=Decimal("1000"),
        currency="USD",
        received=datetime.date(2014, 3, 1),
        actor=clerk,
    )
    labels = {label for label, _pk, _verb in shown(audit_log(auditor_client))}
    assert labels == {"registry.Party"}
    form = audit_log(auditor_client).context["form"]
    assert "finance.contribution" not in dict(form.fields["model"].choices)
    response = audit_log(auditor_client, model="finance.contribution")
    assert response.status_code == 400
    assert "entries" not in response.context
    # The export obeys the same rule.
    response = audit_log(auditor_client, model="finance.contribution", format="xlsx")
    assert response.status_code == 400
    client.force_login(staff_with("view_audit_log", *reading("contribution")))
    labels = {label for label, _pk, _verb in shown(audit_log(client))}
    assert labels == {"finance.Contribution"}


def test_filter_by_user_model_and_record(auditor_client, clerk):
    other = UserFactory(username="other")
    first, second = StateFactory(name="A"), StateFactory(name="B")
    rename(first, "A1", actor=clerk)
    rename(second, "B1", actor=other)
    rename(first, "A2", actor=other)
    meeting = MeetingFactory()
    assert shown(audit_log(auditor_client, user=other.pk)) == [
        ("registry.Party", first.pk, "changed"),
        ("registry.Party", second.pk, "changed"),
    ]
    assert shown(
        audit_log(auditor_client, model="registry.party", record=first.pk)
    ) == [
        ("registry.Party", first.pk, "changed"),
        ("registry.Party", first.pk, "changed"),
        ("registry.Party", first.pk, "added"),
    ]
    assert shown(audit_log(auditor_client, model="meetings.meeting")) == [
        ("meetings.Meeting", meeting.pk, "added")
    ]
    users = dict(audit_log(auditor_client).context["form"].fields["user"].choices)
    assert set(users) == {"", clerk.pk, other.pk}


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        # The rows: 10 March 23:30 and 11 March 00:10, Almaty time (the second is
        # still 10 March in UTC).
        ("2024-03-10", "2024-03-10", ["late"]),
        ("2024-03-11", "2024-03-11", ["early"]),
        ("2024-03-10", "2024-03-11", ["early", "late"]),
        ("2024-03-11", "", ["early"]),
        ("", "2024-03-09", []),
        ("2024-03-12", "", []),
    ],
)
def test_dates_are_days_of_almaty_inclusive(
    auditor_client, date_from, date_to, expected
):
    late, early = StateFactory(name="late"), StateFactory(name="early")
    date_history(late, at(2024, 3, 10, 23, 30))
    date_history(early, at(2024, 3, 11, 0, 10))
    response = audit_log(auditor_client, date_from=date_from, date_to=date_to)
    assert [entry.record_name for entry in response.context["entries"]] == expected


def test_filter_by_what_made_the_change(auditor_client, clerk):
    by_admin, by_command, by_import = (
        StateFactory(name="admin"),
        StateFactory(name="command"),
        StateFactory(name="import"),
    )
    rename(by_admin, "admin edit", actor=clerk)
    rename(by_command, "command edit", reason="load_cica: the seeds")
    batch = ImportBatch.objects.create(file_name="parties.xlsx", what="party")
    row = rename(by_import, "imported", reason=batch.reason).history.first()
    type(row).objects.filter(pk=row.pk).update(import_batch=batch)

    def changed(**params):
        entries = audit_log(auditor_client, action="~", **params).context["entries"]
        return [entry.record_name for entry in entries]

    assert changed(kind="admin") == ["admin edit"]
    assert changed(kind="command") == ["command edit"]
    assert changed(kind="import") == ["imported"]
    assert changed(reason="SEEDS") == ["command edit"]
    entry = audit_log(auditor_client, kind="import").context["entries"][0]
    assert entry.batch == batch


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"date_from": "2024-05-02", "date_to": "2024-05-01"},
            "date_to",
            forms.DATES_REVERSED,
        ),
        ({"date_from": "2024-02-30"}, "date_from", "Enter a valid date."),
        ({"date_to": "0001-01-01"}, "date_to", forms.DATE_OUT_OF_RANGE),
        ({"record": "7"}, "record", forms.RECORD_NEEDS_MODEL),
        (
            {"model": "registry.party", "record": "seven"},
            "record",
            forms.NOT_A_RECORD_NUMBER % {"value": "seven", "model": "parties"},
        ),
        (
            {"model": "registry.party", "record": "99999999999999999999"},
            "record",
            forms.NOT_A_RECORD_NUMBER
            % {"value": "99999999999999999999", "model": "parties"},
        ),
        ({"user": "abc"}, "user", None),
        ({"model": "registry.nothing"}, "model", None),
    ],
)
def test_bad_filters_get_a_clear_error_and_no_entries(
    auditor_client, params, field, message
):
    StateFactory()
    response = audit_log(auditor_client, **params)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [str(message)]
    assert "entries" not in response.context
    assert "errorlist" in response.content.decode()


def _populate(count):
    """``count`` parties with a change of standing, each edited once, and a decision
    linked to each change: five history rows per party, in four models."""
    for index in range(count):
        change = StandingChangeFactory(party=StateFactory(name=f"State {index}"))
        change.note = "edited"
        services.standing_change_save(change)
        decision = services.record_save(
            Decision(kind=DecisionKind.OTHER, procedure=Procedure.OTHER, text="x")
        )
        decision.standing_changes.add(change)


@pytest.mark.parametrize("params", [{}, {"model": "meetings.decision"}])
def test_a_page_costs_the_same_queries_with_few_or_many_entries(clerk_client, params):
    def page():
        with CaptureQueriesContext(connection) as queries:
            response = audit_log(clerk_client, **params)
        assert response.status_code == 200
        return len(response.context["entries"]), len(queries)

    _populate(1)
    few, few_queries = page()
    _populate(30)
    many, many_queries = page()
    assert few <= 5
    assert many == 50
    assert few_queries == many_queries


def test_pages_follow_each_other_without_overlap(clerk_client):
    states = [StateFactory(name=f"S{i}") for i in range(60)]
    for state in states:  # every row at the same moment: ties broken by id
        date_history(state, at(2024, 1, 1, 12))
    first = shown(audit_log(clerk_client))
    second = shown(audit_log(clerk_client, p=2))
    assert len(first) == 50
    assert len(second) == 10
    assert {pk for _l, pk, _v in first + second} == {state.pk for state in states}


def test_the_page_links_keep_the_filters(auditor_client):
    for index in range(55):
        StateFactory(name=f"S{index}")
    html = audit_log(auditor_client, model="registry.party", action="+").content
    assert b"?model=registry.party&amp;action=%2B&amp;p=2" in html
    assert b"?model=registry.party&amp;action=%2B&amp;format=xlsx" in html


def test_the_dashboard_links_the_audit_log_only_for_its_readers(client, auditor):
    log, deleted = (
        f'href="{reverse(name)}"'
        for name in ("admin:audit_log", "admin:deleted_records")
    )
    client.force_login(auditor)
    html = client.get(reverse("admin:index")).content.decode()
    assert log in html
    assert deleted in html
    client.force_login(staff_with(*reading("party")))
    html = client.get(reverse("admin:index")).content.decode()
    assert log not in html
    assert deleted in html


def test_delegation_names_use_their_meeting_and_party(auditor_client):
    meeting = MeetingFactory(title="Fifth Summit")
    state = StateFactory(name="Qatar")
    delegation = services.record_save(Delegation(meeting=meeting, party=state))
    delegation.head_name = "Minister"
    services.record_save(delegation)
    entry = audit_log(auditor_client, model="meetings.delegation").context["entries"][0]
    assert entry.record_name == "Qatar at Fifth Summit"
    assert str(entry.changes[0]) == "Head of delegation: — → Minister"


def test_models_without_history_rows_are_still_offered(auditor_client):
    Party.objects.all().delete()
    Document.objects.all().delete()
    form = audit_log(auditor_client).context["form"]
    assert "registry.party" in dict(form.fields["model"].choices)


def test_amounts_are_written_with_thousands_separated(client, clerk):
    contribution = finance_services.contribution_record(
        party=StateFactory(country="KZ"),
        amount=Decimal("25000000"),
        currency="KZT",
        received=datetime.date(2024, 3, 1),
    )
    contribution.amount = Decimal("30000000")
    finance_services.contribution_save(contribution, actor=clerk)
    client.force_login(staff_with("view_audit_log", *reading("contribution")))
    response = audit_log(client, model="finance.contribution", action="~")
    changes = {c.field: (c.old, c.new) for c in response.context["entries"][0].changes}
    old, new = changes["Amount"]
    assert old.startswith("25,000,000")
    assert new.startswith("30,000,000")
