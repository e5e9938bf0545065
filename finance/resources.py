"""Spreadsheet columns of pledges, contributions and exchange rates.

Contributions come by the thousand, so they take the set-based path: the whole file
is checked and written by ``contributions_check`` and ``contributions_save``, which
apply the rules of ``contribution_save`` with the facts those rules would query row
by row (references taken, what a pledge has received) loaded once for the file.
"""

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
    check_set_service = staticmethod(services.contributions_check)
    save_set_service = staticmethod(services.contributions_save)
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
        # With what the rules read of a stored contribution's relations, so that
        # checking the rows that update one costs no query each.
        return {
            self.key_of_instance(obj): obj
            for obj in Contribution.objects.select_related("pledge__party", "covers")
        }


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
