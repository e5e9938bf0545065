import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cica_admin.core.models import ImportBatch
from cica_admin.core.spreadsheets import resources as base
from cica_admin.core.spreadsheets.batches import batch_revert
from finance.models import Contribution
from finance.resources import ContributionResource, ExchangeRateResource
from registry.models import ChairmanshipTerm, Party, StandingChange
from registry.resources import (
    ChairmanshipTermResource,
    PartyResource,
    StandingChangeResource,
)
from tests.factories import OrganizationFactory, member

from .helpers import problems, run_import

HEADERS = ["party", "reference", "received", "amount", "currency"]


@pytest.fixture
def states(db):
    return [member(country=code) for code in ("KZ", "TR", "CN")]


def contribution_rows(count, *, last=None):
    rows = [
        ["KAZ", f"R-{i}", "2020-03-01", f"{100 + i}.50", "USD"] for i in range(count)
    ]
    if last:
        rows.append(last)
    return [HEADERS, *rows]


@pytest.mark.parametrize(
    ("last", "column", "message"),
    [
        (["KAZ", "R-X", "2020-03-01", "10", "XXX"], "currency", "not a currency"),
        (["KAZ", "R-X", "2020-03-01", "10.123", "USD"], "amount", "decimal"),
        (["XXX", "R-X", "2020-03-01", "10", "USD"], "party", "No party"),
        (["KAZ", "R-X", "1 March 2020", "10", "USD"], "received", "not a date"),
        (["KAZ", "R-1", "2020-03-01", "10", "USD"], "party, reference", "row 3"),
    ],
)
def test_one_invalid_last_row_and_no_contribution_is_written(
    states, clerk, last, column, message
):
    result = run_import(
        ContributionResource, contribution_rows(20, last=last), user=clerk
    )

    assert result.has_validation_errors()
    [(row, problem_column, text)] = problems(result)
    assert (row, problem_column) == (22, column)
    assert message.lower() in text.lower()
    assert not Contribution.objects.exists()
    assert not Contribution.history.exists()
    assert not ImportBatch.objects.exists()


def test_imported_rows_carry_the_user_and_the_file_in_their_history(states, clerk):
    result = run_import(
        ContributionResource, contribution_rows(3), user=clerk, name="march.xlsx"
    )

    assert result.counts["new"] == 3
    history = list(Contribution.history.all())
    assert len(history) == 3
    assert {h.history_user for h in history} == {clerk}
    assert {h.history_change_reason for h in history} == {"import of march.xlsx"}
    assert {h.import_batch_id for h in history} == {result.batch.pk}
    assert (result.batch.new, result.batch.user) == (3, clerk)


def test_importing_the_same_file_twice_changes_nothing_the_second_time(states, clerk):
    rows = contribution_rows(5)
    run_import(ContributionResource, rows, user=clerk)
    history = Contribution.history.count()

    again = run_import(ContributionResource, rows, user=clerk)

    assert again.counts == {"new": 0, "updated": 0, "unchanged": 5, "invalid": 0}
    assert Contribution.history.count() == history


def test_a_changed_row_updates_its_record_matched_by_reference_in_any_case(
    states, clerk
):
    run_import(ContributionResource, contribution_rows(2), user=clerk)
    rows = [HEADERS, ["kaz", "r-1", "2020-03-01", "999", "USD"]]

    result = run_import(ContributionResource, rows, user=clerk)

    assert result.counts["updated"] == 1
    assert Contribution.objects.get(reference__iexact="R-1").amount == Decimal("999")
    assert Contribution.objects.count() == 2


def test_the_service_rules_apply_to_imported_rows(states, clerk):
    kazakhstan = Party.objects.get(country="KZ")
    rows = [
        ["party", "status", "date", "precision"],
        ["KAZ", "member", "2010-01-01", "day"],  # admitting a current member
    ]

    result = run_import(StandingChangeResource, rows, user=clerk)

    assert result.has_validation_errors()
    assert problems(result)[0][:2] == (2, "status")
    assert kazakhstan.standing_changes.count() == 1


def test_overlapping_chair_terms_are_refused_on_import(states, clerk):
    rows = [
        ["party", "start", "planned_end"],
        ["KAZ", "2006-01-01", "2010-06-08"],
        ["TUR", "2009-01-01", "2012-06-08"],
    ]

    result = run_import(ChairmanshipTermResource, rows, user=clerk)

    assert [(row, column) for row, column, _m in problems(result)] == [(3, "start")]
    assert not ChairmanshipTerm.objects.exists()


def test_a_dry_run_checks_by_saving_and_keeps_nothing(states, clerk):
    rows = [["kind", "code", "name"], ["organization", "SCO", "Shanghai Cooperation"]]

    result = run_import(PartyResource, rows, user=clerk, dry_run=True)

    assert result.counts["new"] == 1
    assert not Party.objects.filter(acronym="SCO").exists()


def test_a_state_may_be_named_by_its_country_name(states, clerk):
    rows = [HEADERS, ["Kazakhstan", "N-1", "2020-03-01", "5", "USD"]]

    result = run_import(ContributionResource, rows, user=clerk)

    assert not result.has_validation_errors()
    assert Contribution.objects.get().party.country == "KZ"


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ([*HEADERS, "id"], "never by database id"),
        ([*HEADERS, "bank"], "Unknown columns: bank"),
        (["party", "reference", "amount", "currency"], "missing: received"),
    ],
)
def test_wrong_columns_refuse_the_whole_file(states, clerk, headers, message):
    other = Contribution.objects.create(
        party=Party.objects.get(country="TR"),
        reference="T-1",
        received=datetime.date(2020, 1, 1),
        year=2020,
        amount=Decimal(1),
        currency="USD",
    )
    row = ["KAZ", "R-1", "2020-03-01", "10", "USD", other.pk][: len(headers)]

    result = run_import(ContributionResource, [headers, row], user=clerk)

    [(row_number, _column, text)] = problems(result)
    assert row_number is None
    assert message in text
    assert Contribution.objects.get() == other
    assert Contribution.objects.get().party.country == "TR"


def test_revert_restores_every_record_the_batch_touched(states, clerk):
    run_import(ContributionResource, contribution_rows(2), user=clerk)
    rows = [HEADERS, ["KAZ", "R-0", "2020-03-01", "1", "USD"]]
    rows.append(["TUR", "NEW", "2020-03-01", "7", "EUR"])
    batch = run_import(ContributionResource, rows, user=clerk).batch

    restored = batch_revert(batch=batch, actor=clerk)

    assert restored == 2
    assert Contribution.objects.get(reference="R-0").amount == Decimal("100.50")
    assert not Contribution.objects.filter(reference="NEW").exists()
    latest = Contribution.history.filter(reference="R-0").latest("history_id")
    assert latest.history_change_reason.startswith("revert of import")
    assert latest.history_user == clerk
    with pytest.raises(ValidationError, match="already reverted"):
        batch_revert(batch=batch, actor=clerk)


def decisions():
    """Every decision: its text, note, and links."""
    from meetings.models import Decision

    return {
        decision.pk: (
            decision.text,
            decision.note,
            {change.pk for change in decision.standing_changes.all()},
            {document.pk for document in decision.documents.all()},
        )
        for decision in Decision.objects.all()
    }


def test_revert_takes_back_the_links_an_import_set(cica_record, clerk):
    """An import writes a decision, then its links, each with a history row: the
    revert undoes both, for a decision it changed and for one it added."""
    from meetings.resources import DecisionResource

    exported = DecisionResource().export()
    headers = list(exported.headers)
    column = headers.index
    linked = next(row for row in map(list, exported) if row[column("standing_changes")])
    changed = list(linked)
    changed[column("note")] = "imported note"
    changed[column("standing_changes")] = ""
    added = list(linked)
    added[column("text")] = "A decision the import adds"
    before = decisions()
    result = run_import(DecisionResource, [headers, changed, added], user=clerk)
    assert problems(result) == []
    assert decisions() != before

    assert batch_revert(batch=result.batch, actor=clerk) == 2

    assert decisions() == before


def test_revert_is_refused_when_a_record_changed_after_the_import(states, clerk):
    batch = run_import(ContributionResource, contribution_rows(1), user=clerk).batch
    contribution = Contribution.objects.get()
    contribution.note = "corrected by hand"
    contribution.save()

    with pytest.raises(ValidationError, match="was changed after this import; rev"):
        batch_revert(batch=batch, actor=clerk)

    assert Contribution.objects.get().note == "corrected by hand"


def test_a_party_created_by_an_import_and_used_since_is_not_removed(clerk):
    batch = run_import(
        PartyResource,
        [["kind", "code", "in_asia"], ["state", "MNG", "yes"]],
        user=clerk,
    ).batch
    StandingChange.objects.create(
        party=Party.objects.get(country="MN"),
        status="member",
        date=datetime.date(2002, 6, 4),
    )

    with pytest.raises(ValidationError, match="used by other records"):
        batch_revert(batch=batch, actor=clerk)

    assert Party.objects.filter(country="MN").exists()


def test_rows_of_one_file_paying_one_pledge_are_checked_together(states, clerk):
    from finance.services import pledge_record

    pledge = pledge_record(
        party="KAZ",
        amount=Decimal(100),
        currency="USD",
        year=2020,
        date=datetime.date(2020, 1, 1),
    )
    key = "KAZ | 2020 | 2020-01-01"
    rows = [
        [*HEADERS, "pledge"],
        ["KAZ", "P-1", "2020-03-01", "60", "USD", key],
        ["KAZ", "P-2", "2020-04-01", "60", "USD", key],
    ]

    result = run_import(ContributionResource, rows, user=clerk)

    assert [(r, c) for r, c, _m in problems(result)] == [(3, "overpayment_confirmed")]
    assert not pledge.contributions.exists()


def test_a_large_preview_keeps_a_short_list_of_rows(states, clerk):
    result = run_import(ContributionResource, contribution_rows(200), dry_run=True)

    assert result.counts["new"] == 200
    assert len(result.preview) == base.PREVIEW_ROWS
    assert not Contribution.objects.exists()


def test_an_organization_keeps_its_acronym_as_its_code(clerk):
    OrganizationFactory(acronym="OSCE", name="OSCE")
    rows = [["kind", "code", "name"], ["organization", "OSCE", "OSCE"]]

    result = run_import(PartyResource, rows, user=clerk)

    assert result.counts["unchanged"] == 1


def test_an_exchange_rate_typed_the_wrong_way_round_is_refused(clerk):
    rows = [
        ["currency", "date", "rate"],
        ["KZT", "2020-01-01", "0.0024"],
        ["KZT", "2020-02-01", "420"],
    ]

    result = run_import(ExchangeRateResource, rows, user=clerk)

    assert [(r, c) for r, c, _m in problems(result)] == [(3, "rate")]
