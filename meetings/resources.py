"""Spreadsheet columns of meetings, delegations, documents and decisions.

A meeting is named ``<body code> | <ordinal>`` (``summit | 4``) or, without an
ordinal, ``<body code> | <first day>``; a document ``<kind> | <title>``.
"""

from cica_admin.core.spreadsheets import widgets as w
from cica_admin.core.spreadsheets.resources import column, sheet
from registry.models import ChairmanshipTerm, StandingChange
from registry.resources import (
    CountryCodeWidget,
    chairmanship_term_key,
    party_widget,
    standing_change_key,
)

from . import services
from .models import (
    Body,
    Decision,
    Delegation,
    Document,
    DocumentAction,
    Meeting,
    MeetingChair,
    ReportedFigure,
)


def meeting_keys(meeting):
    by_start = w.joined(meeting.body.code, meeting.start)
    if meeting.ordinal:
        return [w.joined(meeting.body.code, meeting.ordinal), by_start]
    return [by_start]


def meeting_widget():
    return w.NaturalKeyWidget(
        Meeting, meeting_keys, queryset=Meeting.objects.select_related("body")
    )


def document_key(document):
    return [w.joined(document.kind, document.title)]


def document_widget():
    return w.NaturalKeyWidget(Document, document_key)


class BodyResource(
    sheet(
        Body,
        "code",
        "name",
        "meeting_name",
        "max_interval_years",
        "cadence_rule",
        "cadence_valid_from",
        "cadence_valid_from_precision",
        "cadence_basis",
        "meetings_incomplete",
        "meetings_incomplete_reason",
        "rank",
        "source",
    )
):
    key = ("code",)


class MeetingResource(
    sheet(
        Meeting,
        column("body", w.NaturalKeyWidget(Body, lambda body: [body.code])),
        "ordinal",
        "title",
        "start",
        "start_precision",
        "end",
        "end_precision",
        "city",
        column("host_country", CountryCodeWidget()),
        "status",
        "attendance_complete",
        "notes",
        "source",
    )
):
    key = ("body", "ordinal", "start")
    select_related = ("body",)
    export_ordering = ("body__rank", "start")

    def key_of_values(self, values):
        # By ordinal when there is one, else by first day.
        body = values.get("body")
        body = body.pk if body else None
        if values.get("ordinal"):
            return (body, values["ordinal"])
        return (body, values.get("start"))

    def key_of_instance(self, instance):
        if instance.ordinal:
            return (instance.body_id, instance.ordinal)
        return (instance.body_id, instance.start)

    def existing_records(self):
        # A meeting with an ordinal is also found by its first day.
        records = {}
        for meeting in self.get_export_queryset():
            records[self.key_of_instance(meeting)] = meeting
            records.setdefault((meeting.body_id, meeting.start), meeting)
        return records

    def required_columns(self):
        return ["body", "start"]


class MeetingChairResource(
    sheet(
        MeetingChair,
        column("meeting", meeting_widget()),
        column("party", party_widget()),
        "role",
        "person",
        "source",
    )
):
    key = ("meeting", "party")
    select_related = ("meeting__body", "party")


class DelegationResource(
    sheet(
        Delegation,
        column("meeting", meeting_widget()),
        column("party", party_widget()),
        "level",
        "head_name",
        "head_title",
        "present",
        "note",
        "source",
    )
):
    key = ("meeting", "party")
    select_related = ("meeting__body", "party")
    export_ordering = ("meeting__start", "party__name")


class ReportedFigureResource(
    sheet(
        ReportedFigure,
        column("meeting", meeting_widget()),
        "group",
        "count",
        "wording",
        "source",
    )
):
    key = ("meeting", "wording")
    select_related = ("meeting__body",)


class DocumentResource(
    sheet(
        Document,
        "kind",
        "title",
        column("adopted_at", meeting_widget()),
        "date",
        "precision",
        "date_latest",
        column("amends", document_widget()),
        column("supersedes", document_widget()),
        column("counterpart", party_widget()),
        "source",
        "note",
    )
):
    key = ("kind", "title")
    select_related = ("adopted_at__body", "amends", "supersedes", "counterpart")
    # Creation order: a document is recorded after the ones it amends.
    export_ordering = ("pk",)


class DocumentActionResource(
    sheet(
        DocumentAction,
        column("document", document_widget()),
        column("party", party_widget()),
        "action",
        "date",
        "precision",
        column("meeting", meeting_widget()),
        "source",
        "note",
    )
):
    key = ("document", "party", "action")
    save_service = staticmethod(services.document_action_save)
    select_related = ("document", "party", "meeting__body")
    export_ordering = ("document__pk", "date", "pk")


class DecisionResource(
    sheet(
        Decision,
        "kind",
        "procedure",
        column("meeting", meeting_widget()),
        "date",
        "precision",
        "text",
        column(
            "standing_changes",
            w.ManyNaturalKeysWidget(
                StandingChange,
                standing_change_key,
                queryset=StandingChange.objects.select_related("party"),
            ),
        ),
        column(
            "chairmanship_terms",
            w.ManyNaturalKeysWidget(
                ChairmanshipTerm,
                chairmanship_term_key,
                queryset=ChairmanshipTerm.objects.select_related("party"),
            ),
        ),
        column("documents", w.ManyNaturalKeysWidget(Document, document_key)),
        "source",
        "note",
    )
):
    key = ("kind", "meeting", "date", "text")
    save_service = staticmethod(services.decision_save)
    select_related = ("meeting__body",)
    prefetch_related = (
        "standing_changes__party",
        "chairmanship_terms__party",
        "documents",
    )
    export_ordering = ("pk",)

    def save_row(self, planned, *, actor, reason):
        # The changes of standing go to the service, whose rules read them (a new
        # admission names the change it caused); the others follow as for any row.
        links = dict(planned.m2m)
        self.save_service(
            planned.instance,
            standing_changes=links.pop("standing_changes", None),
            actor=actor,
            reason=reason,
        )
        self.save_links(planned.instance, links)
