"""Synthetic finance data for trials and benchmarks.

The seeds give no amounts, so the CICA record holds none. This makes up pledges,
contributions and exchange rates for the parties in the registry, every row marked
``synthetic`` (shown in the admin lists and filters, and flagged by the reports), with
references starting ``SYN-``. The same seed gives the same data.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cica_admin.core.services import record_delete
from registry.models import Party, PostHolding, Status

from . import services
from .models import Contribution, ContributionKind, Earmark, ExchangeRate, Pledge
from .rules import decimal_places, reporting_currency

REASON = "generate_synthetic: made-up data for trials"
# Rough orders of magnitude, so that made-up totals look like totals.
CURRENCIES = {
    "USD": Decimal(1),
    "EUR": Decimal("1.15"),
    "KZT": Decimal("0.0035"),
    "CNY": Decimal("0.15"),
    "RUB": Decimal("0.02"),
    "TRY": Decimal("0.12"),
}
FIRST_YEAR = 2007


def _amount(rng, currency, low, high):
    places = decimal_places(currency)
    usd = Decimal(rng.randint(low, high))
    rate = CURRENCIES[currency] or Decimal(1)
    return (usd / rate).quantize(Decimal(1).scaleb(-places))


class AlreadyGenerated(ValueError):
    pass


@transaction.atomic
def generate(*, contributions=500, seed=1, today=None, actor=None):
    """Create ``contributions`` synthetic contributions, with pledges and monthly
    rates, every row written through the services real rows go through (the
    contributions as one set). Returns the numbers of rows created per model."""
    if Contribution.objects.filter(reference__startswith=f"SYN-{seed}-").exists():
        raise AlreadyGenerated(
            f"Synthetic data with seed {seed} exists: use another --seed, or --delete."
        )
    rng = random.Random(seed)
    today = today or timezone.localdate()
    parties = list(Party.objects.with_current_status().filter(status=Status.MEMBER))
    if not parties:
        raise ValueError("No member states in the registry: run load_cica first.")
    holdings = {}
    for holding in PostHolding.objects.exclude(nationality=None):
        holdings.setdefault(holding.nationality_id, holding)

    existing = set(
        ExchangeRate.objects.filter(synthetic=True).values_list("currency", "date")
    )
    rates = [
        r
        for r in _rates(rng, today, reporting_currency())
        if (r.currency, r.date) not in existing
    ]
    for rate in rates:
        services.exchange_rate_save(rate, actor=actor, reason=REASON)

    currency_of = {p.pk: rng.choice(list(CURRENCIES)) for p in parties}
    pledges = []
    for party in parties:
        for year in range(FIRST_YEAR, today.year + 1):
            pledged_on = datetime.date(year, 1, 1) + datetime.timedelta(
                rng.randint(0, 60)
            )
            if rng.random() < 0.5 or pledged_on > today:
                continue
            currency = currency_of[party.pk]
            pledges.append(
                Pledge(
                    party=party,
                    amount=_amount(rng, currency, 20_000, 400_000),
                    currency=currency,
                    year=year,
                    date=pledged_on,
                    earmark=Earmark.GENERAL,
                    basis="SYNTHETIC pledge",
                    synthetic=True,
                )
            )
    for pledge in pledges:
        services.pledge_save(pledge, actor=actor, reason=REASON)
    # Only this run's pledges are fulfilled, and never beyond what remains of them.
    remaining = {pledge.pk: pledge.amount for pledge in pledges}
    by_party_year = {(p.party_id, p.year): p for p in pledges}

    made = []
    for number in range(1, contributions + 1):
        party = rng.choice(parties)
        year = rng.randint(FIRST_YEAR, today.year)
        start = datetime.date(year, 1, 1)
        last = min(datetime.date(year, 12, 31), today)
        received = start + datetime.timedelta(rng.randint(0, (last - start).days))
        currency = currency_of[party.pk]
        in_kind = party.pk in holdings and rng.random() < 0.2
        contribution = Contribution(
            party=party,
            amount=_amount(rng, currency, 5_000, 150_000),
            currency=currency,
            received=received,
            year=year,
            kind=ContributionKind.IN_KIND if in_kind else ContributionKind.CASH,
            covers=holdings.get(party.pk) if in_kind else None,
            earmark=Earmark.GENERAL,
            reference=f"SYN-{seed}-{number:06d}",
            note="SYNTHETIC contribution",
            synthetic=True,
        )
        pledge = by_party_year.get((party.pk, year))
        if (
            pledge
            and not in_kind
            and pledge.date <= received
            and remaining[pledge.pk] > 0
        ):
            contribution.amount = min(contribution.amount, remaining[pledge.pk])
            remaining[pledge.pk] -= contribution.amount
            contribution.pledge = pledge
        made.append(contribution)
    services.contributions_save(made, actor=actor, reason=REASON)
    return {
        "exchange rates": len(rates),
        "pledges": len(pledges),
        "contributions": len(made),
    }


def _rates(rng, today, reporting):
    """A monthly rate for each currency from January of the first year, drifting."""
    rates = []
    for currency, level in CURRENCIES.items():
        if currency == reporting:
            continue
        value = level
        day = datetime.date(FIRST_YEAR, 1, 1)
        while day <= today:
            drift = Decimal(rng.randint(-300, 300)) / Decimal(10_000)
            value = (value * (1 + drift)).quantize(Decimal("0.0000001"))
            rates.append(
                ExchangeRate(
                    currency=currency,
                    date=day,
                    rate=value,
                    source="SYNTHETIC",
                    synthetic=True,
                )
            )
            day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return rates


@transaction.atomic
def delete(*, actor=None):
    """Remove every synthetic row (their history records the deletion)."""
    counts = {}
    for model in (Contribution, Pledge, ExchangeRate):
        rows = model.objects.filter(synthetic=True)
        counts[model._meta.verbose_name_plural] = rows.count()
        for row in rows.iterator():
            record_delete(row, actor=actor, reason="generate_synthetic --delete")
    return counts
