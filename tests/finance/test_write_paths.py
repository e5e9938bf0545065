"""Every path that writes finance records goes through the finance services, and a
rule refused on any of them leaves the records and their history as they were.

The paths: the admin forms, the row-by-row import (pledges, exchange rates), the
set-based import of contributions, the set service itself, the generator of synthetic
data and its command.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models.query import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from import_export import widgets

from cica_admin.core.models import ImportBatch
from cica_admin.core.spreadsheets.resources import column
from finance import rules, services, synthetic
from finance.models import Contribution, ExchangeRate, Pledge
from finance.resources import (
    ContributionResource,
    ExchangeRateResource,
    PledgeResource,
)
from tests.factories import member
from tests.spreadsheets.helpers import problems, run_import

D = datetime.date
HEADERS = ["party", "reference", "received", "amount", "currency"]
PLEDGE_KEY = "KAZ | 2020 | 2020-01-01"


def snapshot():
    """How many records and history rows of each finance model, and import
    batches, there are: what a refused write must leave as it was."""
    counts = {
        model.__name__: (model.objects.count(), model.history.count())
        for model in (Pledge, Contribution, ExchangeRate)
    }
    counts["import batches"] = ImportBatch.objects.count()
    return counts


@pytest.fixture
def kazakhstan(db):
    return member(country="KZ")


@pytest.fixture
def pledge(kazakhstan):
    return services.pledge_record(
        party=kazakhstan,
        amount=Decimal(1000),
        currency="USD",
        year=2020,
        date=D(2020, 1, 1),
    )


def contribution(party, amount="100.00", reference="R-1", currency="USD", **kwargs):
    return Contribution(
        party=party,
        amount=Decimal(amount) if isinstance(amount, str) else amount,
        currency=currency,
        received=D(2020, 3, 1),
        reference=reference,
        **kwargs,
    )


# -- the admin ----------------------------------------------------------------


def test_the_contribution_form_refuses_an_overpayment_and_changes_nothing(
    clerk_client, pledge
):
    before = snapshot()
    response = clerk_client.post(
        reverse("admin:finance_contribution_add"),
        {
            "party": pledge.party_id,
            "amount": "1500.00",
            "currency": "USD",
            "received": "01/03/2020",
            "year": "2020",
            "kind": "cash",
            "earmark": "general",
            "pledge": pledge.pk,
            "reference": "X1",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["overpayment_confirmed"] == [
        rules.OVERPAYS_PLEDGE % {"received": "1,500.00 USD", "pledged": "1,000.00 USD"}
    ]
    assert snapshot() == before


RATE_FORM = {
    "currency": "KZT",
    "date": "01/02/2014",
    "rate": "450.50",
    "quoted": "direct",
    "source": "typed the wrong way round",
}


def test_the_rate_form_shows_a_jump_beside_the_rate_until_the_clerk_confirms_it(
    clerk_client,
):
    services.exchange_rate_record(
        currency="KZT", date=D(2014, 1, 1), rate=Decimal("0.0065")
    )
    before = snapshot()
    url = reverse("admin:finance_exchangerate_add")

    refused = clerk_client.post(url, RATE_FORM)

    assert refused.status_code == 200
    form = refused.context["adminform"].form
    assert "wrong way round" in form.errors["rate"][0]
    assert 'name="confirm_jump"' in refused.text
    assert snapshot() == before

    confirmed = clerk_client.post(url, {**RATE_FORM, "confirm_jump": "on"})

    assert confirmed.status_code == 302
    rate = ExchangeRate.objects.get(date=D(2014, 2, 1))
    assert rate.rate == Decimal("450.50")
    assert rate.history.get().history_user.username == "clerk"


# -- the exchange-rate service --------------------------------------------------


def test_the_rate_service_refuses_a_jump_unless_told_it_is_confirmed(db):
    services.exchange_rate_record(
        currency="KZT", date=D(2014, 1, 1), rate=Decimal("0.0065")
    )
    before = snapshot()
    jump = ExchangeRate(currency="KZT", date=D(2014, 2, 1), rate=Decimal("450.5"))

    with pytest.raises(ValidationError) as refused:
        services.exchange_rate_save(jump)

    assert refused.value.message_dict["rate"] == [
        rules.RATE_JUMP
        % {
            "currency": "KZT",
            "quote": "USD",
            "previous": Decimal("0.0065"),
            "date": "1 Jan 2014",
        }
    ]
    assert snapshot() == before

    services.exchange_rate_save(jump, confirm_jump=True)

    assert ExchangeRate.objects.get(date=D(2014, 2, 1)).history.count() == 1


def test_a_plain_full_clean_leaves_the_jump_to_the_services(db):
    """The confirmation is an argument of the service, never a flag on the rate:
    the model's own rules hold whatever the clerk confirms."""
    services.exchange_rate_record(
        currency="KZT", date=D(2014, 1, 1), rate=Decimal("0.0065")
    )
    jump = ExchangeRate(currency="KZT", date=D(2014, 2, 1), rate=Decimal("450.5"))
    jump.full_clean()
    with pytest.raises(ValidationError):
        jump.check_jump(confirm_jump=False)
    jump.check_jump(confirm_jump=True)


# -- the row-by-row import ------------------------------------------------------


def test_a_rate_jump_in_a_rate_sheet_is_reported_and_nothing_is_imported(clerk):
    rows = [
        ["currency", "date", "rate"],
        ["KZT", "2020-01-01", "0.0024"],
        ["KZT", "2020-02-01", "420"],
    ]
    before = snapshot()

    result = run_import(ExchangeRateResource, rows, user=clerk)

    [(row, column_name, message)] = problems(result)
    assert (row, column_name) == (3, "rate")
    assert "wrong way round" in message
    assert snapshot() == before


def test_a_pledge_sheet_with_a_period_out_of_order_imports_nothing(kazakhstan, clerk):
    rows = [
        ["party", "year", "year_to", "date", "amount", "currency"],
        ["KAZ", "2016", "", "2016-01-01", "100", "USD"],
        ["KAZ", "2016", "2014", "2016-02-01", "100", "USD"],
    ]
    before = snapshot()

    result = run_import(PledgeResource, rows, user=clerk)

    assert problems(result) == [(3, "year_to", str(rules.YEAR_ORDER))]
    assert snapshot() == before


# -- the set-based import of contributions ---------------------------------------


class FloatAmountResource(ContributionResource):
    """A contribution sheet whose amounts come as floats, as a stock widget of
    django-import-export reads them."""

    amount = column("amount", widgets.FloatWidget())


def test_a_float_amount_is_refused_on_the_set_based_import(kazakhstan, clerk):
    rows = [HEADERS, ["KAZ", "R-1", "2020-03-01", "10.5", "USD"]]
    before = snapshot()

    result = run_import(FloatAmountResource, rows, user=clerk)

    assert problems(result) == [(2, "amount", str(rules.FLOAT_AMOUNT))]
    assert snapshot() == before


def test_a_dry_run_of_the_set_based_import_reports_what_the_rules_refuse(
    kazakhstan, clerk
):
    rows = [HEADERS, ["KAZ", "R-1", "2020-03-01", "-5", "USD"]]

    result = run_import(ContributionResource, rows, user=clerk, dry_run=True)

    assert problems(result) == [(2, "amount", str(rules.AMOUNT_NOT_POSITIVE))]
    assert result.counts["new"] == 0


def test_over_receiving_a_pledge_is_refused_on_the_set_based_import(
    kazakhstan, pledge, clerk
):
    services.contribution_save(contribution(kazakhstan, "600", "P-0", pledge=pledge))
    rows = [
        [*HEADERS, "pledge"],
        ["KAZ", "P-1", "2020-03-01", "300", "USD", PLEDGE_KEY],
        ["KAZ", "P-2", "2020-04-01", "200", "USD", PLEDGE_KEY],
    ]
    before = snapshot()

    result = run_import(ContributionResource, rows, user=clerk)

    assert problems(result) == [
        (
            3,
            "overpayment_confirmed",
            rules.OVERPAYS_PLEDGE
            % {"received": "1,100.00 USD", "pledged": "1,000.00 USD"},
        )
    ]
    assert snapshot() == before


def test_a_refused_update_leaves_the_stored_contribution_and_its_history(
    kazakhstan, pledge, clerk
):
    run_import(
        ContributionResource,
        [[*HEADERS, "pledge"], ["KAZ", "P-1", "2020-03-01", "900", "USD", PLEDGE_KEY]],
        user=clerk,
    )
    before = snapshot()

    result = run_import(
        ContributionResource,
        [[*HEADERS, "pledge"], ["KAZ", "P-1", "2020-03-01", "1200", "USD", PLEDGE_KEY]],
        user=clerk,
    )

    assert [(r, c) for r, c, _m in problems(result)] == [(2, "overpayment_confirmed")]
    assert snapshot() == before
    assert Contribution.objects.get().amount == Decimal(900)


def test_the_pledges_of_a_set_are_locked_before_what_they_received_is_read(
    kazakhstan, pledge, clerk, monkeypatch
):
    events = []
    lock = QuerySet.select_for_update
    facts = services.contribution_facts

    def locking(queryset, *args, **kwargs):
        events.append(("lock", queryset.model))
        return lock(queryset, *args, **kwargs)

    def reading(contributions):
        events.append(("facts", None))
        return facts(contributions)

    monkeypatch.setattr(QuerySet, "select_for_update", locking)
    monkeypatch.setattr(services, "contribution_facts", reading)
    rows = [
        [*HEADERS, "pledge"],
        ["KAZ", "P-1", "2020-03-01", "300", "USD", PLEDGE_KEY],
    ]

    result = run_import(ContributionResource, rows, user=clerk)

    assert problems(result) == []
    # Checked (the preview's part), then checked again and written, in one
    # transaction: each time the pledge is locked first.
    assert events == [("lock", Pledge), ("facts", None)] * 2


def rows_paying_the_pledge(count, *, stored):
    """A sheet of ``count`` contributions to the pledge, half of them new, half
    changing the ``stored`` ones (matched by reference)."""
    rows = [[*HEADERS, "pledge"]]
    for i in range(count):
        reference = stored[i].reference if i % 2 else f"N-{i}"
        rows.append(["KAZ", reference, "2020-03-01", "2.00", "USD", PLEDGE_KEY])
    return rows


@pytest.mark.parametrize("count", [4, 30])
def test_the_set_based_import_costs_the_same_queries_for_any_number_of_rows(
    kazakhstan, pledge, clerk, count, django_assert_num_queries
):
    """Whatever the number of rows: 3 queries read the records rows may name, 5
    lock the pledges and load the facts for the check a preview shows, the same 5
    again in the write, then the batch, an UPDATE and an INSERT with their history
    rows, and savepoints. (Before the set services: 12; the 17 more are the lock,
    the facts and their savepoints, twice.)"""
    stored = services.contributions_save(
        [
            contribution(kazakhstan, "1.00", f"S-{i}", pledge=pledge)
            for i in range(count)
        ]
    )
    rows = rows_paying_the_pledge(count, stored=stored)

    # 4 rows or 30 (both in one INSERT batch of SQLite): the same count.
    with django_assert_num_queries(29):
        result = run_import(ContributionResource, rows, user=clerk)

    assert problems(result) == []
    assert (result.counts["new"], result.counts["updated"]) == (count // 2,) * 2


# -- the set service ------------------------------------------------------------


def test_the_set_service_refuses_a_float_amount_and_writes_nothing(kazakhstan):
    before = snapshot()
    made = [contribution(kazakhstan, reference="A"), contribution(kazakhstan, 0.1)]

    with pytest.raises(services.ContributionsRefused) as refused:
        services.contributions_save(made)

    assert list(refused.value.by_position) == [1]
    assert refused.value.by_position[1].message_dict == {"amount": [rules.FLOAT_AMOUNT]}
    assert snapshot() == before


def test_the_set_service_refuses_references_already_taken_in_the_set_or_stored(
    kazakhstan,
):
    services.contribution_save(contribution(kazakhstan, reference="TR-1"))
    before = snapshot()
    made = [
        contribution(kazakhstan, reference="tr-1 "),
        contribution(kazakhstan, reference="TR-2"),
        contribution(kazakhstan, reference="  tr-2"),
    ]

    with pytest.raises(services.ContributionsRefused) as refused:
        services.contributions_save(made)

    assert {p: e.message_dict for p, e in refused.value.by_position.items()} == {
        0: {"reference": [rules.DUPLICATE_REFERENCE]},
        2: {"reference": [rules.DUPLICATE_REFERENCE]},
    }
    assert snapshot() == before


def test_a_constraint_the_rules_missed_is_refused_by_the_database_row_by_row(
    kazakhstan, monkeypatch
):
    """As if another clerk had recorded the reference between the check and the
    write: the database refuses the set, and its constraint names the row."""
    services.contribution_save(contribution(kazakhstan, reference="TR-1"))
    before = snapshot()
    facts = services.contribution_facts

    def all_free(contributions):
        return [f._replace(reference_taken=False) for f in facts(contributions)]

    monkeypatch.setattr(services, "contribution_facts", all_free)
    made = [
        contribution(kazakhstan, reference="TR-2"),
        contribution(kazakhstan, reference="tr-1"),
    ]

    with pytest.raises(services.ContributionsRefused) as refused:
        services.contributions_save(made)

    assert {p: e.messages for p, e in refused.value.by_position.items()} == {
        1: [str(rules.DUPLICATE_REFERENCE)]
    }
    assert snapshot() == before
    assert [c.pk for c in made] == [None, None]


def test_a_constraint_the_rules_missed_is_reported_against_its_row_on_import(
    kazakhstan, clerk, monkeypatch
):
    """A rule that did not say what a constraint says (here: taken out) does not
    let a row past the database; the import names the row."""
    check = rules.check_money_record

    def without_the_amount_rule(record, *, party_changed):
        if record.amount is not None and record.amount <= 0:
            return
        check(record, party_changed=party_changed)

    monkeypatch.setattr(rules, "check_money_record", without_the_amount_rule)
    rows = [
        HEADERS,
        ["KAZ", "R-1", "2020-03-01", "5", "USD"],
        ["KAZ", "R-2", "2020-03-01", "-5", "USD"],
    ]
    before = snapshot()

    result = run_import(ContributionResource, rows, user=clerk)

    assert problems(result) == [(3, "", str(rules.AMOUNT_NOT_POSITIVE))]
    assert snapshot() == before


def test_the_set_service_checks_each_value_as_clean_fields_does(kazakhstan):
    """Values several contributions share are checked once, each as written: 1.0
    and 1.0000 are one amount, but only one of them has too many decimal places."""
    made = [
        contribution(kazakhstan, "1.0", "A", currency="XXQ"),
        contribution(kazakhstan, "1.0000", "B"),
        contribution(kazakhstan, "1.0", "C", currency="XXQ"),
    ]

    with pytest.raises(services.ContributionsRefused) as refused:
        services.contributions_check(made)

    refusals = refused.value.by_position
    assert {p: list(e.message_dict) for p, e in refusals.items()} == {
        0: ["currency"],
        1: ["amount"],
        2: ["currency"],
    }


def test_the_set_service_checks_the_related_records_exist(kazakhstan, pledge):
    made = [contribution(kazakhstan, pledge_id=pledge.pk + 1000)]

    with pytest.raises(services.ContributionsRefused) as refused:
        services.contributions_check(made)

    assert list(refused.value.by_position[0].message_dict) == ["pledge"]


def test_the_set_service_writes_history_with_the_actor_the_reason_and_the_batch(
    kazakhstan, clerk
):
    batch = ImportBatch.objects.create(file_name="set.xlsx", what="contributions")

    services.contributions_save(
        [contribution(kazakhstan, reference=f"H-{i}") for i in range(3)],
        actor=clerk,
        reason="import of set.xlsx",
        batch=batch,
    )

    history = Contribution.history.all()
    assert {(h.history_user, h.history_change_reason) for h in history} == {
        (clerk, "import of set.xlsx")
    }
    assert {h.import_batch_id for h in history} == {batch.pk}
    assert history.count() == 3


# -- the generator and its command -----------------------------------------------


@pytest.fixture
def from_this_year(cica_record, monkeypatch):
    """The generator's years: this one and the next, so that some contributions it
    makes up are received in the future, which the rules refuse."""
    this_year = datetime.date.today().year
    monkeypatch.setattr(synthetic, "FIRST_YEAR", this_year)
    return D(this_year + 1, 12, 31)


def test_a_refusal_in_the_generator_leaves_nothing_behind(from_this_year):
    before = snapshot()

    with pytest.raises(services.ContributionsRefused) as refused:
        synthetic.generate(contributions=20, seed=3, today=from_this_year)

    first = next(iter(refused.value.by_position.values()))
    assert list(first.message_dict) == ["received"]
    assert snapshot() == before


def test_a_refusal_in_the_generate_synthetic_command_leaves_nothing_behind(
    cica_record, monkeypatch
):
    monkeypatch.setattr(synthetic, "FIRST_YEAR", datetime.date.today().year)
    monkeypatch.setattr(synthetic, "CURRENCIES", {**synthetic.CURRENCIES, "XAU": 1})
    before = snapshot()

    with pytest.raises(CommandError, match="fund, metal or test code"):
        call_command("generate_synthetic", "--contributions", "5", stdout=io.StringIO())

    assert snapshot() == before


def test_the_generator_writes_contributions_as_one_set_through_the_service(
    cica_record, monkeypatch
):
    sets = []
    save = services.contributions_save

    def counting(contributions, **kwargs):
        sets.append(len(contributions))
        return save(contributions, **kwargs)

    monkeypatch.setattr(services, "contributions_save", counting)

    synthetic.generate(contributions=20, seed=3, today=D(2007, 12, 31))

    assert sets == [20]
    history = Contribution.history.filter(history_change_reason=synthetic.REASON)
    assert history.count() == 20


def test_the_generator_costs_no_query_for_each_contribution(cica_record):
    counts = []
    for contributions in (20, 200):
        synthetic.delete()
        with CaptureQueriesContext(connection) as queries:
            synthetic.generate(contributions=contributions, today=D(2007, 12, 31))
        counts.append(len(queries))
    # 180 more contributions: a few more INSERT batches, nothing for each of them.
    assert counts[1] - counts[0] < 15
