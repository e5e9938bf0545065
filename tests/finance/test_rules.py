import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cica_admin.core.dates import format_partial
from finance import reports, rules, services
from finance.models import Contribution, ExchangeRate, Pledge
from registry import rules as registry_rules
from registry.services import party_by_code
from tests.factories import OrganizationFactory, StateFactory

pytestmark = pytest.mark.django_db

D = datetime.date
MARCH_2014 = D(2014, 3, 1)


@pytest.fixture
def kazakhstan():
    return StateFactory(country="KZ")


def contribute(party, amount="1000.00", currency="USD", received=MARCH_2014, **kw):
    return services.contribution_record(
        party=party, amount=Decimal(amount), currency=currency, received=received, **kw
    )


def refusal(exc_info, field):
    return exc_info.value.message_dict[field]


@pytest.mark.parametrize("amount", ["0", "-5.00"])
def test_zero_or_negative_amounts_are_refused(kazakhstan, amount):
    with pytest.raises(ValidationError) as exc:
        contribute(kazakhstan, amount)
    assert refusal(exc, "amount") == [rules.AMOUNT_NOT_POSITIVE]
    assert not Contribution.objects.exists()


def test_a_negative_amount_is_refused_by_the_database(kazakhstan):
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(
            party=kazakhstan,
            amount=Decimal("-1"),
            currency="USD",
            received=D(2014, 1, 1),
            year=2014,
        )


def test_an_unknown_currency_is_refused(kazakhstan):
    with pytest.raises(ValidationError) as exc:
        contribute(kazakhstan, currency="XXQ")
    assert refusal(exc, "currency") == [rules.UNKNOWN_CURRENCY % {"code": "XXQ"}]


@pytest.mark.parametrize(
    ("amount", "currency", "places"), [("10.5", "JPY", 0), ("10.001", "USD", 2)]
)
def test_more_decimals_than_the_currency_has_are_refused(
    kazakhstan, amount, currency, places
):
    with pytest.raises(ValidationError) as exc:
        contribute(kazakhstan, amount, currency)
    assert refusal(exc, "amount") == [
        rules.TOO_MANY_DECIMALS % {"currency": currency, "places": places}
    ]


def test_bahraini_dinars_keep_their_three_decimals():
    bahrain = StateFactory(country="BH")
    assert contribute(bahrain, "10.125", "BHD").amount == Decimal("10.125")


def test_a_float_amount_is_refused_not_rounded(kazakhstan):
    with pytest.raises(ValidationError) as exc:
        services.contribution_record(
            party=kazakhstan, amount=0.1, currency="USD", received=D(2014, 1, 1)
        )
    assert refusal(exc, "amount") == [rules.FLOAT_AMOUNT]


def test_a_contributor_must_be_a_party(kazakhstan):
    with pytest.raises(ValidationError) as exc:
        contribute("XYZ")
    assert exc.value.messages == [registry_rules.NOT_A_PARTY % {"code": "XYZ"}]
    assert contribute("KAZ").party == kazakhstan
    assert party_by_code("KAZ") == kazakhstan


def test_a_contribution_cannot_be_received_after_today(kazakhstan):
    today = timezone.localdate()  # in the Secretariat's time zone (Asia/Almaty)
    contribute(kazakhstan, received=today)
    tomorrow = today + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        contribute(kazakhstan, received=tomorrow)
    assert refusal(exc, "received") == [
        rules.RECEIVED_IN_FUTURE % {"today": format_partial(today, "day")}
    ]


@pytest.mark.parametrize("amount", ["NaN", "Infinity"])
def test_an_amount_that_is_not_a_number_is_refused(kazakhstan, amount):
    with pytest.raises(ValidationError) as exc:
        contribute(kazakhstan, amount)
    assert rules.NOT_A_NUMBER in refusal(exc, "amount")


@pytest.mark.parametrize("code", ["XAU", "XXX", "XTS"])
def test_metals_funds_and_test_codes_are_not_currencies(kazakhstan, code):
    with pytest.raises(ValidationError) as exc:
        contribute(kazakhstan, currency=code)
    assert refusal(exc, "currency") == [rules.NOT_A_CURRENCY % {"code": code}]


def test_references_differ_in_more_than_capitals_and_spaces(kazakhstan):
    contribute(kazakhstan, reference="TR-2014-001")
    with pytest.raises(ValidationError) as exc:
        contribute(kazakhstan, reference="  tr-2014-001 ")
    assert refusal(exc, "reference") == [rules.DUPLICATE_REFERENCE]


def test_a_duplicate_reference_for_the_same_party_is_refused(kazakhstan):
    contribute(kazakhstan, reference="TR-2014-001")
    with pytest.raises(ValidationError) as exc:
        contribute(kazakhstan, reference="TR-2014-001")
    assert refusal(exc, "reference") == [rules.DUPLICATE_REFERENCE]
    contribute(StateFactory(country="CN"), reference="TR-2014-001")  # another party
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(
            party=kazakhstan,
            amount=1,
            currency="USD",
            received=D(2014, 1, 1),
            year=2014,
            reference="TR-2014-001",
        )


@pytest.fixture
def pledge(kazakhstan):
    return services.pledge_record(
        party=kazakhstan,
        amount=Decimal("1000000"),
        currency="KZT",
        year=2014,
        date=D(2014, 2, 1),
    )


def test_overpaying_a_pledge_needs_confirmation_and_is_then_reported(
    kazakhstan, pledge
):
    contribute(kazakhstan, "600000", "KZT", pledge=pledge)
    with pytest.raises(ValidationError) as exc:
        contribute(kazakhstan, "500000", "KZT", pledge=pledge)
    assert refusal(exc, "overpayment_confirmed") == [
        rules.OVERPAYS_PLEDGE
        % {"received": "1,100,000.00 KZT", "pledged": "1,000,000.00 KZT"}
    ]
    confirmed = contribute(
        kazakhstan, "500000", "KZT", pledge=pledge, overpayment_confirmed=True
    )
    assert confirmed.overpays_pledge()
    (overpaid,) = reports.overpaid_pledges()
    assert (overpaid.pledge, overpaid.outstanding) == (pledge, Decimal("-100000"))
    assert reports.outstanding_pledges() == []


def test_an_edited_pledge_keeps_its_contributions_valid(kazakhstan, pledge):
    contribute(kazakhstan, "600000", "KZT", pledge=pledge)
    pledge.amount = Decimal("500000")
    with pytest.raises(ValidationError) as exc:
        services.pledge_save(pledge)
    assert refusal(exc, "amount") == [
        rules.PLEDGE_BELOW_RECEIVED % {"received": "600,000.00 KZT"}
    ]
    pledge.refresh_from_db()
    pledge.currency = "USD"
    with pytest.raises(ValidationError) as exc:
        services.pledge_save(pledge)
    assert refusal(exc, "currency") == [rules.PLEDGE_HAS_OTHER_CURRENCY]
    pledge.refresh_from_db()
    pledge.party = StateFactory(country="CN")
    with pytest.raises(ValidationError) as exc:
        services.pledge_save(pledge)
    assert refusal(exc, "party") == [rules.PLEDGE_HAS_OTHER_CONTRIBUTOR]
    assert Pledge.objects.get().amount == Decimal("1000000")


def test_a_covered_post_belongs_to_a_contribution_in_kind_of_its_state(kazakhstan):
    from registry.models import Post, PostHolding

    post = Post.objects.create(title="Professional staff")
    turkish = PostHolding.objects.create(
        post=post, nationality=StateFactory(country="TR")
    )
    with pytest.raises(ValidationError) as exc:
        contribute(kazakhstan, covers=turkish)
    assert refusal(exc, "covers") == [rules.COVERS_ONLY_IN_KIND]
    with pytest.raises(ValidationError) as exc:
        contribute(kazakhstan, covers=turkish, kind="in_kind")
    assert refusal(exc, "covers") == [
        rules.COVERS_OTHER_NATIONALITY % {"state": turkish.nationality}
    ]


def test_a_pledge_is_fulfilled_by_its_own_party_in_its_currency(kazakhstan, pledge):
    with pytest.raises(ValidationError) as exc:
        contribute(StateFactory(country="CN"), "1000", "KZT", pledge=pledge)
    assert refusal(exc, "pledge") == [
        rules.PLEDGE_OF_OTHER_PARTY % {"party": kazakhstan}
    ]
    with pytest.raises(ValidationError) as exc:
        contribute(kazakhstan, "1000", "USD", pledge=pledge)
    assert refusal(exc, "currency") == [
        rules.PLEDGE_OTHER_CURRENCY % {"currency": "KZT"}
    ]


def test_organizations_may_contribute_unless_the_setting_restricts(settings):
    osce = OrganizationFactory(acronym="OSCE")
    earlier = contribute(osce, reference="A")
    settings.CICA_CONTRIBUTIONS_FROM_STATES_ONLY = True
    with pytest.raises(ValidationError) as exc:
        contribute(osce, reference="B")
    assert refusal(exc, "party") == [rules.STATES_ONLY]
    # Rows recorded before the setting stay editable.
    earlier.note = "Checked against the bank statement."
    services.contribution_save(earlier)


def test_a_pledge_period_cannot_end_before_it_starts(kazakhstan):
    with pytest.raises(ValidationError) as exc:
        services.pledge_record(
            party=kazakhstan,
            amount=Decimal(1),
            currency="USD",
            year=2016,
            year_to=2014,
            date=D(2014, 1, 1),
        )
    assert refusal(exc, "year_to") == [rules.YEAR_ORDER]
    assert not Pledge.objects.exists()


def test_an_earmark_names_what_it_is_for(kazakhstan):
    with pytest.raises(ValidationError) as exc:
        contribute(kazakhstan, earmark="meeting")
    assert refusal(exc, "meeting") == [rules.MEETING_EARMARK_NEEDS_MEETING]


@pytest.mark.parametrize(
    ("currency", "rate", "field", "message"),
    [
        (
            "USD",
            "1",
            "currency",
            rules.RATE_OF_REPORTING_CURRENCY % {"currency": "USD"},
        ),
        ("KZT", "0", "rate", rules.RATE_NOT_POSITIVE),
        ("KZT", 0.0065, "rate", rules.FLOAT_AMOUNT),
    ],
)
def test_exchange_rate_rules(currency, rate, field, message):
    value = Decimal(rate) if isinstance(rate, str) else rate
    with pytest.raises(ValidationError) as exc:
        services.exchange_rate_record(currency=currency, date=D(2014, 1, 1), rate=value)
    assert refusal(exc, field) == [message]
    assert not ExchangeRate.objects.exists()


def test_a_rate_a_fivefold_jump_from_the_previous_is_refused_unless_confirmed():
    services.exchange_rate_record(
        currency="KZT", date=D(2014, 1, 1), rate=Decimal("0.0065")
    )
    with pytest.raises(ValidationError) as exc:
        services.exchange_rate_record(
            currency="KZT", date=D(2014, 2, 1), rate=Decimal("450.5")
        )
    assert "wrong way round" in refusal(exc, "rate")[0]
    services.exchange_rate_record(
        currency="KZT", date=D(2014, 2, 1), rate=Decimal("0.0300"), confirm_jump=True
    )
    assert ExchangeRate.objects.count() == 2


def test_a_pledge_overpaid_with_confirmation_can_still_be_edited_but_not_cut(
    kazakhstan, pledge
):
    contribute(kazakhstan, "1200000", "KZT", pledge=pledge, overpayment_confirmed=True)
    pledge.note = "Letter of 1 February 2014."
    services.pledge_save(pledge)
    pledge.amount = Decimal("500000")
    with pytest.raises(ValidationError) as exc:
        services.pledge_save(pledge)
    assert refusal(exc, "amount") == [
        rules.PLEDGE_BELOW_RECEIVED % {"received": "1,200,000.00 KZT"}
    ]


def test_the_year_a_contribution_counts_for_defaults_to_the_year_received(kazakhstan):
    from finance.models import Contribution as C

    contribution = C(
        party=kazakhstan, amount=Decimal("1"), currency="usd", received=D(2013, 12, 30)
    )
    services.contribution_save(contribution)
    contribution.refresh_from_db()
    assert (contribution.year, contribution.currency) == (2013, "USD")
