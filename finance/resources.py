"""Spreadsheet columns of pledges, contributions and exchange rates.

Contributions come by the thousand, so they take the set-based path: every row is
checked with the model's own rules, the facts those rules would query row by row
(references taken, what a pledge has received) loaded once for the whole file.
"""

from collections import defaultdict
from decimal import Decimal

from cica_admin.core.spreadsheets import widgets as w
from cica_admin.core.spreadsheets.resources import column, sheet
from meetings.resources import meeting_widget
from registry.models import PostHolding
from registry.resources import party_widget, post_holding_key

from . import services
from .models import Contribution, ExchangeRate, Pledge


def pledge_key(pledge):
    return [w.joined(pledge.party.code, pledge.year, pledge.date)]


class PledgeResource(
    sheet(
        Pledge,
        column("party", party_widget()),
        "year",
        "year_to",
        "date",
        "amount",
        "currency",
        "earmark",
        column("meeting", meeting_widget()),
        "project",
        "basis",
        "note",
        "synthetic",
    )
):
    key = ("party", "year", "date")
    save_service = staticmethod(services.pledge_save)
    select_related = ("party", "meeting__body")
    export_ordering = ("date", "pk")


class ContributionResource(
    sheet(
        Contribution,
        column("party", party_widget()),
        "reference",
        "received",
        "year",
        "amount",
        "currency",
        "kind",
        "earmark",
        column("meeting", meeting_widget()),
        "project",
        column(
            "covers",
            w.NaturalKeyWidget(
                PostHolding,
                post_holding_key,
                queryset=PostHolding.objects.select_related("post", "nationality"),
            ),
        ),
        column(
            "pledge",
            w.NaturalKeyWidget(
                Pledge, pledge_key, queryset=Pledge.objects.select_related("party")
            ),
        ),
        "overpayment_confirmed",
        "note",
        "synthetic",
    )
):
    """Matched by party and reference; a row without a reference by party, day,
    currency and amount."""

    key = ("party", "reference")
    bulk = True
    save_service = staticmethod(services.contribution_save)
    select_related = (
        "party",
        "meeting__body",
        "covers__post",
        "covers__nationality",
        "pledge__party",
    )
    export_ordering = ("received", "pk")

    def key_of_values(self, values):
        party = values.get("party")
        party = party.pk if party else None
        reference = w.normalize_key(values.get("reference"))
        if reference:
            return (party, reference)
        return (
            party,
            values.get("received"),
            values.get("currency"),
            values.get("amount"),
        )

    def key_of_instance(self, instance):
        reference = w.normalize_key(instance.reference)
        if reference:
            return (instance.party_id, reference)
        return (
            instance.party_id,
            instance.received,
            instance.currency,
            instance.amount,
        )

    def existing_records(self):
        return {
            self.key_of_instance(obj): obj
            for obj in Contribution.objects.select_related("pledge")
        }

    def prepare_facts(self, plans):
        """What the rules need, in one query: the amounts already received against
        the pledges the file names. A row's reference is free by construction: a
        row with a taken reference matches, and so updates, that contribution."""
        pledge_ids = {p.instance.pledge_id for p in plans if p.instance.pledge_id}
        touched = {p.instance.pk for p in plans if p.instance.pk}
        received = defaultdict(Decimal)
        stored = Contribution.objects.filter(pledge_id__in=pledge_ids).exclude(
            pk__in=touched
        )
        for pledge_id, amount in stored.values_list("pledge_id", "amount"):
            received[pledge_id] += amount
        for planned in plans:
            contribution = planned.instance
            contribution.preloaded = {
                "reference_taken": False,
                "stored_party_id": contribution.party_id,
                "received_by_others": received[contribution.pledge_id],
            }
            # Rows of the same file paying the same pledge count in file order.
            if contribution.pledge_id and isinstance(contribution.amount, Decimal):
                received[contribution.pledge_id] += contribution.amount

    def write_bulk(self, plans, result, **kwargs):
        for planned in plans:
            planned.instance.preloaded = None
        super().write_bulk(plans, result, **kwargs)


class ExchangeRateResource(
    sheet(
        ExchangeRate,
        "currency",
        "quote",
        "date",
        "rate",
        "source",
        "synthetic",
    )
):
    key = ("currency", "quote", "date", "synthetic")
    save_service = staticmethod(services.exchange_rate_save)

    def required_columns(self):
        return ["currency", "date", "rate"]
