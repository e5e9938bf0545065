"""Spreadsheet columns of the registry, keyed by natural keys.

A party is named by its ISO alpha-3 code (a state) or acronym (an organization); a
state's name is accepted as well.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cica_admin.core.spreadsheets import widgets as w
from cica_admin.core.spreadsheets.resources import column, sheet

from . import services
from .models import (
    ChairmanshipTerm,
    Party,
    PartyKind,
    PointOfContact,
    Post,
    PostHolding,
    RecordHorizon,
    SeatEvent,
    StandingChange,
)

NOT_A_COUNTRY = _("“%(value)s” is not an ISO 3166 country code or name.")


def country_alpha2(value):
    """The alpha-2 code of a country given by alpha-3, alpha-2 or English name."""
    text = " ".join(str(value or "").split())
    if not text:
        return ""
    code = countries.alpha2(text) or countries.by_name(text)
    if not code:
        raise ValueError(NOT_A_COUNTRY % {"value": text})
    return code


class CountryCodeWidget(w.TextWidget):
    """A country, written as its alpha-3 code; a name or alpha-2 code is read too."""

    def clean(self, value, row=None, **kwargs):
        return country_alpha2(value)

    def render(self, value, obj=None, **kwargs):
        return countries.alpha3(str(value)) if value else ""


def party_keys(party):
    keys = [party.code, party.name]
    if party.kind == PartyKind.STATE and party.country:
        keys.append(party.country.name)
    return keys


def party_widget(**kwargs):
    return w.NaturalKeyWidget(
        Party, party_keys, what=_("party"), label=lambda party: party.code, **kwargs
    )


def standing_change_key(change):
    return [w.joined(change.party.code, change.date)]


def chairmanship_term_key(term):
    return [w.joined(term.party.code, term.start)]


def post_holding_key(holding):
    nationality = holding.nationality.code if holding.nationality else ""
    return [
        w.joined(holding.post.title, holding.holder_name, nationality, holding.start)
    ]


class PartyCodeWidget(w.TextWidget):
    """A party's own code: alpha-3 for a state (a country name is turned into it),
    the acronym for an organization."""

    def clean(self, value, row=None, **kwargs):
        text = " ".join(str(value or "").split())
        if len(text) > 3 or (text and not text.isupper()):
            code = countries.by_name(text)
            if code:
                return countries.alpha3(code)
        return text


class PartyResource(
    sheet(
        Party,
        "kind",
        column("code", PartyCodeWidget()),
        "name",
        "in_asia",
        "note",
        "source",
    )
):
    key = ("code",)

    def stored(self, instance, attribute):
        if attribute == "code":
            return instance.code if (instance.country or instance.acronym) else None
        return super().stored(instance, attribute)

    def assign(self, instance, attribute, value):
        if attribute != "code":
            return super().assign(instance, attribute, value)
        if instance.kind == PartyKind.STATE:
            try:
                instance.country = country_alpha2(value)
            except ValueError as exc:
                instance.country = ""
                instance.code_error = str(exc)
            instance.acronym = ""
        else:
            instance.acronym = value
            instance.country = ""

    def save_row(self, planned, *, actor, reason):
        error = getattr(planned.instance, "code_error", None)
        if error:
            raise ValidationError({"code": error})
        super().save_row(planned, actor=actor, reason=reason)

    def required_columns(self):
        return ["kind", "code"]


class StandingChangeResource(
    sheet(
        StandingChange,
        column("party", party_widget()),
        "status",
        "date",
        "precision",
        "date_latest",
        "basis",
        "source",
        "note",
    )
):
    key = ("party", "date")
    save_service = staticmethod(services.standing_change_save)
    delete_service = staticmethod(services.standing_change_delete)
    select_related = ("party",)
    # Each party's changes in date order: every prefix of a timeline is legal.
    export_ordering = ("party__kind", "party__country", "party__acronym", "known_from")


class ChairmanshipTermResource(
    sheet(
        ChairmanshipTerm,
        column("party", party_widget(), name="party"),
        "start",
        "start_precision",
        "start_latest",
        "planned_end",
        "planned_end_precision",
        "actual_end",
        "actual_end_precision",
        "actual_end_latest",
        column(
            "extends",
            w.NaturalKeyWidget(
                ChairmanshipTerm,
                chairmanship_term_key,
                queryset=ChairmanshipTerm.objects.select_related("party"),
            ),
        ),
        "basis",
        "source",
        "note",
    )
):
    key = ("party", "start")
    save_service = staticmethod(services.chairmanship_term_save)
    select_related = ("party", "extends__party")
    export_ordering = ("start",)


class SeatEventResource(
    sheet(
        SeatEvent,
        "kind",
        "city",
        column("country", CountryCodeWidget()),
        "date",
        "precision",
        "basis",
        "source",
        "note",
    )
):
    key = ("kind", "city", "date")


class RecordHorizonResource(sheet(RecordHorizon, "kind", "date", "source", "note")):
    key = ("kind",)


class PostResource(sheet(Post, "title", "rank", "description")):
    key = ("title",)


class PostHoldingResource(
    sheet(
        PostHolding,
        column("post", w.NaturalKeyWidget(Post, lambda post: [post.title])),
        "holder_name",
        column("nationality", party_widget()),
        "seconded",
        "start",
        "start_precision",
        "end",
        "end_precision",
        "source",
        "note",
    )
):
    key = ("post", "holder_name", "nationality", "start")
    select_related = ("post", "nationality")


class PointOfContactResource(
    sheet(
        PointOfContact,
        column("party", party_widget()),
        "subject",
        "name",
        "position",
        "email",
        "phone",
        "source",
        "note",
    )
):
    key = ("subject", "name")
    select_related = ("party",)
