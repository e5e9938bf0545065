"""Every way into the record obeys the same rules: a refusal on any path, whatever
the path, writes nothing (the records and their history stay as they were).

Finance's paths are proved in tests/finance/test_write_paths.py."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cica_admin.core.spreadsheets.batches import batch_revert
from meetings import rules as meeting_rules
from meetings import services as meeting_services
from meetings.models import ActionKind, Decision, DecisionKind, DocumentAction
from meetings.resources import DecisionResource, DocumentActionResource
from registry import rules, services
from registry.models import Party, StandingChange, Status
from registry.resources import PartyResource, StandingChangeResource
from tests.factories import DocumentFactory, StandingChangeFactory, StateFactory, member
from tests.helpers import form_data, record_state
from tests.spreadsheets.helpers import problems, run_import

pytestmark = pytest.mark.django_db

D = datetime.date


def act(document, party, kind, day):
    """``party``'s action on ``document`` on ``day``, recorded as a clerk would."""
    return meeting_services.document_action_save(
        DocumentAction(document=document, party=party, action=kind, date=day)
    )


def refused(call, match):
    """Run ``call``, which must be refused with ``match``; return nothing written."""
    before = record_state()
    with pytest.raises(ValidationError, match=match):
        call()
    return record_state() == before


# -- import revert --------------------------------------------------------------


def test_a_revert_that_would_leave_a_suspension_without_membership_is_refused(clerk):
    state = StateFactory(country="KZ")
    rows = [StandingChangeResource().export().headers]
    rows.append(["KAZ", "member", "2002-06-04", "day", "", "", ""])
    batch = run_import(StandingChangeResource, rows, user=clerk).batch
    StandingChangeFactory(party=state, status=Status.SUSPENDED, date=D(2015, 1, 1))

    assert refused(lambda: batch_revert(batch=batch, actor=clerk), "cannot be reverted")
    batch.refresh_from_db()
    assert batch.reverted is None
    assert state.standing_changes.count() == 2


def test_a_revert_that_would_take_a_members_territory_out_of_asia_is_refused(clerk):
    state = StateFactory(country="TR", name="Turkey", in_asia=False)
    rows = [PartyResource().export().headers, ["state", "TUR", "Turkey", "yes", "", ""]]
    batch = run_import(PartyResource, rows, user=clerk).batch
    state.refresh_from_db()
    StandingChangeFactory(party=state, status=Status.MEMBER, date=D(2002, 6, 4))

    assert refused(
        lambda: batch_revert(batch=batch, actor=clerk),
        "cannot be reverted: Turkey would break a rule",
    )
    state.refresh_from_db()
    assert state.in_asia


# -- imports through the services ----------------------------------------------


def test_an_imported_ratification_before_the_signature_is_refused():
    document = DocumentFactory(title="Convention X")
    state = member(country="KZ")
    act(document, state, ActionKind.SIGNATURE, D(2010, 6, 8))
    headers = DocumentActionResource().export().headers
    key = f"{document.kind} | {document.title}"
    row = [key, "KAZ", "ratification", "2009-01-01", "year", "", "", ""]
    before = record_state()

    result = run_import(DocumentActionResource, [headers, row])

    assert [(n, column) for n, column, _message in problems(result)] == [(2, "date")]
    assert "cannot have ratified it earlier" in problems(result)[0][2]
    assert record_state() == before


def test_an_imported_admission_that_names_no_change_of_standing_is_refused():
    headers = DecisionResource().export().headers
    row = ["admission", "other", "", "2004-10-22", "day", "Admits someone", "", "", ""]
    row += ["", ""]
    before = record_state()

    result = run_import(DecisionResource, [headers, row])

    assert [(n, column) for n, column, _message in problems(result)] == [
        (2, "standing_changes")
    ]
    assert problems(result)[0][2] == meeting_rules.ADMISSION_NEEDS_PARTY
    assert record_state() == before


def test_an_imported_admission_naming_its_change_is_linked_to_it():
    thailand = member(D(2004, 10, 22), country="TH")
    headers = DecisionResource().export().headers
    row = ["admission", "other", "", "2004-10-22", "day", "Admits Thailand"]
    row += ["THA | 2004-10-22", "", "", "", ""]

    result = run_import(DecisionResource, [headers, row])

    assert problems(result) == []
    decision = Decision.objects.get()
    assert list(decision.standing_changes.all()) == [thailand.standing_changes.get()]


# -- the services ---------------------------------------------------------------


def test_a_new_admission_naming_no_party_nor_change_is_refused_by_the_service():
    decision = Decision(
        kind=DecisionKind.ADMISSION, procedure="other", date=D(2004, 1, 1), text="?"
    )
    assert refused(lambda: meeting_services.decision_save(decision), "Name the party")


def test_two_changes_on_one_date_are_refused_together_and_write_nothing():
    state = StateFactory(country="QA")
    first = StandingChange(status=Status.OBSERVER, date=D(2008, 8, 25))
    second = StandingChange(status=Status.OBSERVER, date=D(2008, 8, 25))
    assert refused(
        lambda: services.standing_timeline_save(party=state, changed=[first, second]),
        str(rules.DUPLICATE_DATE),
    )


def test_two_changes_of_one_page_on_one_date_are_refused_in_the_rules_words(
    clerk_client,
):
    state = StateFactory(country="QA", name="Qatar")
    data = {
        "kind": "state",
        "name": "Qatar",
        "country": "QA",
        "acronym": "",
        "in_asia": "on",
        "source": "",
        "note": "",
        "standing_changes-TOTAL_FORMS": "2",
        "standing_changes-INITIAL_FORMS": "0",
        "standing_changes-MIN_NUM_FORMS": "0",
        "standing_changes-MAX_NUM_FORMS": "1000",
        "chairmanship_terms-TOTAL_FORMS": "0",
        "chairmanship_terms-INITIAL_FORMS": "0",
        "chairmanship_terms-MIN_NUM_FORMS": "0",
        "chairmanship_terms-MAX_NUM_FORMS": "0",
    }
    for i, status in enumerate(["observer", "member"]):
        row = {"status": status, "date": "25/08/2008", "precision": "day"}
        for key, value in {**row, "basis": "", "source": "", "note": ""}.items():
            data[f"standing_changes-{i}-{key}"] = value
    before = record_state()

    response = clerk_client.post(
        reverse("admin:registry_party_change", args=[state.pk]), data
    )

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == [rules.DUPLICATE_DATE]
    assert record_state() == before


# -- the admin ------------------------------------------------------------------


def action_form(document, party, action, day):
    return {
        "document": document.pk,
        "party": party.pk,
        "action": action,
        "date": day,
        "precision": "day",
        "meeting": "",
        "source": "",
        "note": "",
    }


def test_an_action_page_refuses_a_ratification_before_the_stored_signature(
    clerk_client,
):
    document = DocumentFactory()
    state = member(country="KZ")
    act(document, state, ActionKind.SIGNATURE, D(2010, 6, 8))
    before = record_state()

    response = clerk_client.post(
        reverse("admin:meetings_documentaction_add"),
        action_form(document, state, "ratification", "01/01/2009"),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "cannot have ratified it earlier" in errors["date"][0]
    assert record_state() == before


def test_the_document_page_corrects_a_signature_and_a_ratification_in_one_save(
    clerk_client,
):
    """Each correction alone would put the two out of order; together they are in
    order, and the page saves them: the order is checked as the page leaves it."""
    document = DocumentFactory()
    state = member(country="KZ")
    signature = act(document, state, ActionKind.SIGNATURE, D(2010, 6, 8))
    ratification = act(document, state, ActionKind.RATIFICATION, D(2011, 1, 1))
    url = reverse("admin:meetings_document_change", args=[document.pk])
    data = form_data(clerk_client.get(url), "document_form")
    rows = {data[f"actions-{i}-id"]: i for i in range(2)}
    data[f"actions-{rows[str(signature.pk)]}-date"] = "08/06/2012"
    data[f"actions-{rows[str(ratification.pk)]}-date"] = "01/01/2013"

    response = clerk_client.post(url, data)

    assert response.status_code == 302
    signature.refresh_from_db()
    ratification.refresh_from_db()
    assert (signature.date, ratification.date) == (D(2012, 6, 8), D(2013, 1, 1))


def test_deleting_parties_from_the_list_records_who_deleted_them(clerk_client, clerk):
    from tests.factories import staff_with

    kazakhstan, turkey = StateFactory(country="KZ"), StateFactory(country="TR")
    clerk_client.force_login(staff_with("view_party", "delete_party"))

    response = clerk_client.post(
        reverse("admin:registry_party_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [kazakhstan.pk, turkey.pk],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not Party.objects.exists()
    deletions = Party.history.filter(history_type="-")
    assert deletions.count() == 2
    assert {row.history_user for row in deletions} == {response.wsgi_request.user}


def test_an_imported_timeline_is_reverted_whole(clerk):
    """Undone last first: the suspension goes before the membership it needs."""
    StateFactory(country="KZ")
    rows = [StandingChangeResource().export().headers]
    rows.append(["KAZ", "member", "2002-06-04", "day", "", "", ""])
    rows.append(["KAZ", "suspended", "2015-01-01", "day", "", "", ""])
    batch = run_import(StandingChangeResource, rows, user=clerk).batch

    assert batch_revert(batch=batch, actor=clerk) == 2
    assert not StandingChange.objects.exists()


def test_an_import_that_corrected_a_timeline_is_reverted_through_legal_steps(clerk):
    state = StateFactory(country="KZ")
    for status, year in [("member", 2000), ("suspended", 2005), ("withdrawn", 2010)]:
        StandingChangeFactory(party=state, status=status, date=D(year, 1, 1))
    rows = [StandingChangeResource().export().headers]
    rows.append(["KAZ", "member", "2010-01-01", "day", "", "", ""])
    rows.append(["KAZ", "withdrawn", "2005-01-01", "day", "", "", ""])
    batch = run_import(StandingChangeResource, rows, user=clerk).batch
    statuses = state.standing_changes.values_list("status", flat=True)
    assert list(statuses) == ["member", "withdrawn", "member"]

    assert batch_revert(batch=batch, actor=clerk) == 2
    assert list(state.standing_changes.values_list("status", flat=True)) == [
        "member",
        "suspended",
        "withdrawn",
    ]


# -- what the pages check is what the services check ----------------------------


def change_page_post(client, **data):
    return client.post(reverse("admin:registry_standingchange_add"), data)


def test_a_second_change_on_a_taken_date_is_a_form_error(clerk_client):
    state = member(D(2002, 6, 4), country="KZ")
    before = record_state()
    row = {"party": state.pk, "status": "suspended", "date": "04/06/2002"}
    response = change_page_post(
        clerk_client, **row, precision="day", basis="", source="", note=""
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert record_state() == before


def test_suspending_a_chair_during_its_term_is_a_form_error(clerk_client):
    from tests.factories import ChairmanshipTermFactory

    state = member(D(2002, 6, 4), country="TR")
    ChairmanshipTermFactory(party=state, start=D(2010, 6, 8), planned_end=D(2012, 6, 8))
    before = record_state()
    row = {"party": state.pk, "status": "suspended", "date": "01/01/2011"}
    response = change_page_post(
        clerk_client, **row, precision="day", basis="", source="", note=""
    )
    assert response.status_code == 200
    assert "must be a member throughout its term" in str(
        response.context["adminform"].form.errors
    )
    assert record_state() == before


def party_page(client, party):
    url = reverse("admin:registry_party_change", args=[party.pk])
    return url, form_data(client.get(url), "party_form")


def row_of(data, change):
    return next(
        i
        for i in range(int(data["standing_changes-TOTAL_FORMS"]))
        if data.get(f"standing_changes-{i}-id") == str(change.pk)
    )


def test_the_party_page_moves_two_changes_along_in_one_save(clerk_client):
    """The observer status moves to the admission's date, the admission later: saved
    in the order that frees each date before it is taken."""
    qatar = StateFactory(country="QA")
    observer = StandingChangeFactory(
        party=qatar, status=Status.OBSERVER, date=D(2008, 8, 25)
    )
    admission = StandingChangeFactory(
        party=qatar, status=Status.MEMBER, date=D(2014, 5, 20)
    )
    url, data = party_page(clerk_client, qatar)
    data[f"standing_changes-{row_of(data, observer)}-date"] = "20/05/2014"
    data[f"standing_changes-{row_of(data, admission)}-date"] = "01/01/2016"

    assert clerk_client.post(url, data).status_code == 302
    assert list(qatar.standing_changes.values_list("date", flat=True)) == [
        D(2014, 5, 20),
        D(2016, 1, 1),
    ]


def test_the_party_page_refuses_two_changes_exchanging_their_dates(clerk_client):
    state = member(D(2002, 6, 4), country="KZ")
    suspension = StandingChangeFactory(
        party=state, status=Status.SUSPENDED, date=D(2010, 1, 1)
    )
    first = state.standing_changes.get(status=Status.MEMBER)
    url, data = party_page(clerk_client, state)
    data[f"standing_changes-{row_of(data, first)}-date"] = "01/01/2010"
    data[f"standing_changes-{row_of(data, suspension)}-date"] = "04/06/2002"
    before = record_state()

    response = clerk_client.post(url, data)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == [rules.DATES_EXCHANGED]
    assert record_state() == before


def test_a_change_added_meanwhile_is_judged_with_the_page(clerk_client):
    """Another clerk records a withdrawal after this page was opened; a suspension
    added on it after that date is refused as a form error, not a server error."""
    state = member(D(2002, 6, 4), country="KZ")
    url, data = party_page(clerk_client, state)
    StandingChangeFactory(party=state, status=Status.WITHDRAWN, date=D(2012, 1, 1))
    new = int(data["standing_changes-TOTAL_FORMS"]) - 1  # the empty extra row
    row = {"status": "suspended", "date": "01/01/2015", "precision": "day"}
    for key, value in row.items():
        data[f"standing_changes-{new}-{key}"] = value
    before = record_state()

    response = clerk_client.post(url, data)

    assert response.status_code == 200
    assert record_state() == before
