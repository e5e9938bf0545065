"""Valuation and statements, checked against a hand-worked example.

Rates: KZT 0.0065 USD from 1 Jan 2014 and 0.0055 from 1 Jun 2014; EUR 1.30 from
1 Jan 2014. Kazakhstan pledges 1,000,000 KZT for 2014 on 1 Feb 2014 (6,500.00 USD),
pays 400,000 KZT on 31 May (2,600.00 USD) and 200,000 KZT on 1 Jun (1,100.00 USD)
against it, and seconds staff worth 10,000 EUR, received 31 Dec (13,000.00 USD).
"""

import datetime
from decimal import Decimal

import pytest

from finance import reports, services
from finance.models import ContributionKind
from finance.valuation import MissingRate, RateBook
from registry.models import Post, PostHolding
from tests.factories import StateFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def rates():
    for currency, day, rate in [
        ("KZT", D(2014, 1, 1), "0.0065"),
        ("KZT", D(2014, 6, 1), "0.0055"),
        ("EUR", D(2014, 1, 1), "1.30"),
    ]:
        services.exchange_rate_record(currency=currency, date=day, rate=Decimal(rate))


@pytest.fixture
def example(rates):
    kazakhstan = StateFactory(country="KZ")
    pledge = services.pledge_record(
        party=kazakhstan,
        amount=Decimal("1000000"),
        currency="KZT",
        year=2014,
        date=D(2014, 2, 1),
    )
    for amount, received in [("400000", D(2014, 5, 31)), ("200000", D(2014, 6, 1))]:
        services.contribution_record(
            party=kazakhstan,
            amount=Decimal(amount),
            currency="KZT",
            received=received,
            pledge=pledge,
        )
    post = Post.objects.create(title="Professional staff")
    seconded = PostHolding.objects.create(
        post=post, nationality=kazakhstan, seconded=True
    )
    services.contribution_record(
        party=kazakhstan,
        amount=Decimal("10000"),
        currency="EUR",
        received=D(2014, 12, 31),
        kind=ContributionKind.IN_KIND,
        covers=seconded,
    )
    return kazakhstan, pledge


@pytest.mark.parametrize(
    ("day", "value"),
    [
        (D(2014, 5, 31), Decimal("0.65")),  # the day before the new rate
        (D(2014, 6, 1), Decimal("0.55")),  # the day it comes into force
        (D(2014, 6, 2), Decimal("0.55")),
    ],
)
def test_an_amount_is_valued_at_the_rate_in_force_on_its_date(rates, day, value):
    book = RateBook.load(["KZT"])
    assert book.value(Decimal("100"), "KZT", day) == value


def test_valuation_refuses_when_no_rate_is_in_force(rates):
    book = RateBook.load(["KZT", "CNY"])
    with pytest.raises(MissingRate) as exc:
        book.value(Decimal("100"), "KZT", D(2013, 12, 31))
    assert exc.value.messages == [
        "No exchange rate of KZT to USD is recorded on or before 31 Dec 2013. "
        "Record one under Finance › Exchange rates."
    ]
    with pytest.raises(MissingRate, match="CNY"):
        book.value(Decimal("1"), "CNY", D(2014, 6, 1))


def test_the_reporting_currency_needs_no_rate():
    assert RateBook.load(["USD"]).value(Decimal("12.34"), "USD", D(1999, 1, 1)) == (
        Decimal("12.34")
    )


def test_the_statement_matches_the_hand_worked_example(example):
    """On 31 Dec 2014: 400,000 KZT still due (2,200.00 USD at 0.0055), and 10,000 EUR
    received in kind beyond any pledge (13,000.00 USD at 1.30)."""
    kazakhstan, _pledge = example
    statement = reports.party_statement(kazakhstan, on=D(2014, 12, 31))
    (line,) = statement.lines
    assert line.period == "2014"
    assert dict(line.pledged) == {"KZT": Decimal("1000000")}
    assert dict(line.received) == {"KZT": Decimal("600000"), "EUR": Decimal("10000")}
    assert line.balance == {"EUR": Decimal("-10000"), "KZT": Decimal("400000")}
    assert line.pledged_value == Decimal("6500.00")
    assert line.cash_value == Decimal("3700.00")
    assert line.in_kind_value == Decimal("13000.00")
    assert line.balance_value == Decimal("-10800.00")
    assert [(r.currency, r.date, r.rate) for r in statement.rates_used] == [
        ("EUR", D(2014, 1, 1), Decimal("1.30")),
        ("KZT", D(2014, 1, 1), Decimal("0.0065")),
        ("KZT", D(2014, 6, 1), Decimal("0.0055")),
    ]
    assert all(isinstance(v, Decimal) for v in statement.totals.values())


def test_a_pledge_paid_in_full_leaves_nothing_due_whatever_the_rates_did(rates):
    kazakhstan = StateFactory(country="KZ")
    pledge = services.pledge_record(
        party=kazakhstan,
        amount=Decimal("1000000"),
        currency="KZT",
        year=2014,
        date=D(2014, 2, 1),
    )
    services.contribution_record(
        party=kazakhstan,
        amount=Decimal("1000000"),
        currency="KZT",
        received=D(2014, 7, 1),
        pledge=pledge,
    )
    (line,) = reports.party_statement(kazakhstan, on=D(2014, 12, 31)).lines
    assert line.balance == {"KZT": Decimal("0")}
    assert line.balance_value == Decimal("0")
    assert line.pledged_value != line.received_value  # the rate moved in between


def test_a_pledge_over_several_years_is_one_line_with_all_their_contributions(rates):
    china = StateFactory(country="CN")
    services.pledge_record(
        party=china,
        amount=Decimal("200.00"),
        currency="USD",
        year=2015,
        year_to=2016,
        date=D(2015, 1, 5),
    )
    for year in (2015, 2016):
        services.contribution_record(
            party=china,
            amount=Decimal("100.00"),
            currency="USD",
            received=D(year, 3, 1),
        )
    (line,) = reports.party_statement(china, on=D(2017, 1, 1)).lines
    assert line.period == "2015-2016"
    assert line.balance == {"USD": Decimal("0.00")}


def test_synthetic_rates_never_value_real_money(rates):
    from finance.models import ExchangeRate

    ExchangeRate.objects.create(
        currency="KZT", date=D(2014, 3, 1), rate=Decimal("0.9"), synthetic=True
    )
    kazakhstan = StateFactory(country="KZ")
    services.contribution_record(
        party=kazakhstan, amount=Decimal("1000"), currency="KZT", received=D(2014, 3, 2)
    )
    table = reports.year_party_table()
    assert table.grand_total == Decimal("6.50")  # the real 0.0065, not the made-up 0.9
    assert not table.synthetic


def test_the_outstanding_part_of_a_pledge_and_its_age(example):
    _party, pledge = example
    (row,) = reports.outstanding_pledges(on=D(2014, 12, 31))
    assert row.pledge == pledge
    assert (row.received, row.outstanding, row.age_days) == (
        Decimal("600000"),
        Decimal("400000"),
        333,
    )
    assert reports.outstanding_pledges(on=D(2014, 1, 31)) == []  # not yet pledged


def test_the_year_party_table_separates_cash_and_in_kind(example):
    kazakhstan, _pledge = example
    china = StateFactory(country="CN")
    services.contribution_record(
        party=china, amount=Decimal("3300.00"), currency="USD", received=D(2015, 3, 1)
    )
    table = reports.year_party_table()
    assert table.years == [2014, 2015]
    first, second = table.rows
    assert first.party == kazakhstan
    assert (first.cash[2014], first.in_kind[2014]) == (
        Decimal("3700.00"),
        Decimal("13000.00"),
    )
    assert second.total(2015) == Decimal("3300.00")
    assert table.grand_total == Decimal("20000.00")
    assert table.share(first) == Decimal("0.835")
    assert table.year_total(2014) == Decimal("16700.00")


def test_a_report_refuses_when_a_rate_is_missing(example):
    kazakhstan, _pledge = example
    services.contribution_record(
        party=kazakhstan, amount=Decimal("5"), currency="CNY", received=D(2014, 7, 1)
    )
    with pytest.raises(MissingRate, match="No exchange rate of CNY to USD"):
        reports.party_statement(kazakhstan, on=D(2014, 12, 31))


def test_statements_are_built_in_a_fixed_number_of_queries(
    example, django_assert_num_queries
):
    kazakhstan, _pledge = example
    with django_assert_num_queries(3):
        reports.party_statement(kazakhstan, on=D(2014, 12, 31))
