import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from finance import services
from finance.models import Contribution, ExchangeRate, Pledge
from registry.models import Party, PartyKind
from tests.helpers import admin_urls

pytestmark = pytest.mark.django_db

D = datetime.date
FINANCE_MODELS = [Pledge, Contribution, ExchangeRate]
MAX_QUERIES = 20


def populate(rows):
    party = Party.objects.create(kind=PartyKind.STATE, country="KZ", name="Kazakhstan")
    # As many pledges and rates as contributions, for the pages of those lists.
    ExchangeRate.objects.bulk_create(
        ExchangeRate(
            currency="KZT",
            date=D(2014, 1, 1) - datetime.timedelta(days=i),
            rate=Decimal("0.005"),
        )
        for i in range(max(rows, 1))
    )
    Pledge.objects.bulk_create(
        Pledge(
            party=party,
            amount=Decimal("1000"),
            currency="USD",
            year=2014,
            date=D(2014, 1, 1),
        )
        for _ in range(max(rows, 1))
    )
    Contribution.objects.bulk_create(
        Contribution(
            party=party,
            amount=Decimal("1000.00") if i % 2 else Decimal("200000.00"),
            currency="USD" if i % 2 else "KZT",
            received=D(2014, 3, 1),
            year=2014,
            reference=f"R{i}",
        )
        for i in range(rows)
    )


@pytest.mark.parametrize("rows", [10, 500])
@pytest.mark.parametrize("model", FINANCE_MODELS, ids=lambda m: m.__name__)
def test_finance_pages_run_a_bounded_number_of_queries(
    clerk_client, django_assert_max_num_queries, model, rows
):
    populate(rows)
    for url in admin_urls(model):
        with django_assert_max_num_queries(MAX_QUERIES):
            response = clerk_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("rows", [10, 500])
def test_the_contribution_list_totals_the_filtered_rows(clerk_client, rows):
    populate(rows)
    response = clerk_client.get(reverse("admin:finance_contribution_changelist"))
    totals = response.context["totals"]
    usd, kzt = rows // 2, rows - rows // 2
    assert totals.count == rows
    assert totals.by_currency == {
        "KZT": Decimal("200000.00") * kzt,
        "USD": Decimal("1000.00") * usd,
    }
    assert totals.value == Decimal("1000.00") * usd + Decimal("1000.00") * kzt
    filtered = clerk_client.get(
        reverse("admin:finance_contribution_changelist"), {"currency": "USD"}
    )
    assert filtered.context["totals"].by_currency == {"USD": Decimal("1000.00") * usd}


def test_the_totals_say_which_rate_is_missing(clerk_client):
    populate(2)
    ExchangeRate.objects.all().delete()
    response = clerk_client.get(reverse("admin:finance_contribution_changelist"))
    assert response.context["totals"].value is None
    assert "No exchange rate of KZT to USD is recorded on or before 1 Mar 2014" in (
        response.text
    )


def test_an_overpayment_is_refused_in_the_admin_until_confirmed(clerk_client):
    populate(0)
    pledge = Pledge.objects.get()
    assert pledge.amount == Decimal("1000")
    data = {
        "party": pledge.party_id,
        "amount": "1500.00",
        "currency": "USD",
        "received": "01/03/2014",
        "year": "2014",
        "kind": "cash",
        "covers": "",
        "earmark": "general",
        "meeting": "",
        "project": "",
        "pledge": pledge.pk,
        "reference": "X1",
        "note": "",
    }
    url = reverse("admin:finance_contribution_add")
    response = clerk_client.post(url, data)
    assert response.status_code == 200
    assert "overpayment_confirmed" in response.context["adminform"].form.errors
    assert not Contribution.objects.exists()
    response = clerk_client.post(url, {**data, "overpayment_confirmed": "on"})
    assert response.status_code == 302
    assert Contribution.objects.get().overpays_pledge()


def test_synthetic_data_is_valid_marked_and_removable(cica_record):
    real = services.contribution_record(
        party=Party.objects.get_by_natural_key("KAZ"),
        amount=Decimal("1.00"),
        currency="USD",
        received=D(2014, 3, 1),
    )
    call_command("generate_synthetic", "--contributions", "50", stdout=io.StringIO())
    synthetic = Contribution.objects.filter(synthetic=True)
    assert synthetic.count() == 50
    for row in [*synthetic, *Pledge.objects.all(), *ExchangeRate.objects.all()[:50]]:
        row.full_clean()  # every made-up row obeys the rules real rows do
        assert row.synthetic
    assert all(c.reference.startswith("SYN-") for c in synthetic)
    assert (
        Contribution.history.filter(
            history_change_reason__startswith="generate"
        ).count()
        == 50
    )
    call_command("generate_synthetic", "--delete", stdout=io.StringIO())
    assert list(Contribution.objects.all()) == [real]
    assert not Pledge.objects.exists()
    assert not ExchangeRate.objects.exists()


def test_synthetic_runs_with_other_seeds_stay_valid_and_a_repeat_is_refused(
    cica_record,
):
    from django.core.management.base import CommandError

    call_command("generate_synthetic", "--contributions", "60", stdout=io.StringIO())
    call_command(
        "generate_synthetic",
        "--contributions",
        "60",
        "--seed",
        "2",
        stdout=io.StringIO(),
    )
    for contribution in Contribution.objects.exclude(pledge=None):
        assert not contribution.overpays_pledge()
    with pytest.raises(CommandError, match="seed 2 exists"):
        call_command("generate_synthetic", "--seed", "2", stdout=io.StringIO())


def test_a_real_contribution_cannot_fulfil_a_synthetic_pledge(cica_record):
    from finance import rules

    call_command("generate_synthetic", "--contributions", "5", stdout=io.StringIO())
    made_up = Pledge.objects.first()
    with pytest.raises(ValidationError) as exc:
        services.contribution_record(
            party=made_up.party,
            amount=Decimal("1"),
            currency=made_up.currency,
            received=made_up.date,
            pledge=made_up,
        )
    assert exc.value.message_dict["pledge"] == [rules.REAL_AGAINST_SYNTHETIC]


def test_synthetic_data_is_the_same_for_the_same_seed(cica_record):
    from finance import synthetic

    today = D(2020, 1, 1)
    synthetic.generate(contributions=20, seed=7, today=today)
    first = list(Contribution.objects.values_list("party", "amount", "received"))
    synthetic.delete()
    synthetic.generate(contributions=20, seed=7, today=today)
    assert (
        list(Contribution.objects.values_list("party", "amount", "received")) == first
    )


def test_a_rate_quoted_the_national_banks_way_is_stored_the_other_way(clerk_client):
    response = clerk_client.post(
        reverse("admin:finance_exchangerate_add"),
        {
            "currency": "kzt",
            "date": "01/03/2014",
            "rate": "450.50",
            "quoted": "inverse",
            "source": "National Bank of Kazakhstan",
        },
    )
    assert response.status_code == 302
    rate = ExchangeRate.objects.get()
    assert (rate.currency, rate.rate) == ("KZT", Decimal("0.0022197558"))


def test_totals_leave_synthetic_rows_out_of_a_mixed_list(clerk_client, cica_record):
    call_command("generate_synthetic", "--contributions", "20", stdout=io.StringIO())
    services.contribution_record(
        party="KAZ", amount=Decimal("7.00"), currency="USD", received=D(2014, 3, 1)
    )
    response = clerk_client.get(reverse("admin:finance_contribution_changelist"))
    totals = response.context["totals"]
    assert (totals.count, totals.synthetic_count) == (1, 20)
    assert totals.by_currency == {"USD": Decimal("7.00")}
    assert "20 synthetic rows (made up by generate_synthetic) are left out" in (
        response.text
    )


def test_the_pledge_page_shows_what_was_received_and_what_remains(clerk_client):
    populate(0)
    pledge = Pledge.objects.get()
    services.contribution_record(
        party=pledge.party,
        amount=Decimal("400.00"),
        currency="USD",
        received=D(2014, 3, 1),
        pledge=pledge,
    )
    response = clerk_client.get(
        reverse("admin:finance_pledge_change", args=[pledge.pk])
    )
    assert "400.00 USD received; 600.00 USD outstanding" in response.text


def test_totals_of_a_synthetic_only_list_say_they_are_synthetic(
    clerk_client, finance_records
):
    """After generate_synthetic alone every row is made up: the totals are of those
    rows, and the message must not say they were left out."""
    response = clerk_client.get(reverse("admin:finance_contribution_changelist"))
    totals = response.context["totals"]
    assert totals.synthetic_only
    assert totals.count == totals.synthetic_count == 3
    assert "Every row totalled here is synthetic" in response.text
    assert "left out of these totals" not in response.text


def test_the_pledge_picker_marks_a_synthetic_pledge(clerk_client, finance_records):
    response = clerk_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "",
            "app_label": "finance",
            "model_name": "contribution",
            "field_name": "pledge",
        },
    )
    texts = [item["text"] for item in response.json()["results"]]
    assert texts
    assert all(text.endswith("[synthetic]") for text in texts)
