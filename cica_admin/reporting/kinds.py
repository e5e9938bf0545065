"""The reports the Secretariat prints: what each asks for, who may see it, what it
shows and which tables go into its spreadsheet.

A kind builds a context from the app builders (``<app>/reports.py``); the same
context renders as an admin page, a PDF and an xlsx workbook (``render.py``).
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cica_admin.core.dates import format_partial
from finance import reports as finance_reports
from finance.rules import format_amounts
from meetings import reports as meeting_reports
from registry import reports as registry_reports
from registry.models import HorizonKind, Party, RecordHorizon, Status

from . import charts, forms


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: list
    rows: list


FINANCE_PERMISSIONS = ("finance.view_pledge", "finance.view_contribution")


class ReportKind:
    slug = ""
    title = ""
    description = ""
    form_class = forms.ReportForm
    permissions: tuple = ()
    template = ""
    # The form field naming the one record the report is about, if any: the admin
    # waits for it to be chosen; the command takes it as its argument.
    subject = None

    def build(self, data) -> dict:
        """The template context: at least ``heading``."""
        raise NotImplementedError

    def sheets(self, context) -> list[Sheet]:
        raise NotImplementedError

    def filename(self, data) -> str:
        return self.slug

    def allowed(self, user):
        return user.has_perms(self.permissions)


SYNTHETIC_HEADING = _("%(heading)s — with synthetic data")


def _synthetic(heading, data):
    """``heading``, saying so when the report includes made-up data: it is printed
    on the page, the PDF and the workbook's About sheet."""
    if data.get("include_synthetic"):
        return SYNTHETIC_HEADING % {"heading": heading}
    return heading


def _day(day):
    return date_format(day, "j F Y") if day else ""


def _partial(day, precision):
    return format_partial(day, precision) if day else ""


class MeetingReportKind(ReportKind):
    slug = "meeting"
    title = _("Meeting report")
    description = _(
        "Who chaired and attended a meeting, the members absent, what it adopted and "
        "what it decided."
    )
    form_class = forms.MeetingForm
    subject = "meeting"
    permissions = ("meetings.view_meeting", "meetings.view_delegation")
    template = "reports/meeting.html"

    def build(self, data):
        report = meeting_reports.meeting_report(data["meeting"])
        return {
            "report": report,
            "heading": _("Report of the %(meeting)s")
            % {"meeting": report.meeting.display_title},
        }

    def sheets(self, context):
        """Every section of the page, in its order: the meeting, who attended, the
        figures reported, what it adopted, signed and decided."""
        report = context["report"]
        sheets = [
            Sheet(
                str(_("Meeting")),
                [_("item"), _("value")],
                [
                    [label, value]
                    for label, value in meeting_reports.summary_rows(report)
                ],
            ),
            Sheet(
                str(_("Attendance")),
                [
                    _("category"),
                    _("party"),
                    _("code"),
                    _("level of representation"),
                    _("head of delegation"),
                    _("title of the head"),
                    _("attendance"),
                    _("note"),
                ],
                meeting_reports.attendance_rows(report),
            ),
        ]
        if report.attendance_named:
            sheets.append(
                Sheet(
                    str(_("Members absent")),
                    [_("party"), _("code")],
                    [[p.name, p.code] for p in report.absent],
                )
            )
        if report.reported:
            sheets.append(
                Sheet(
                    str(_("Reported figures")),
                    [_("group"), _("number"), _("as the source words it"), _("source")],
                    [
                        [f.get_group_display(), f.count, f.wording, f.source]
                        for f in report.reported
                    ],
                )
            )
        sheets.append(
            Sheet(
                str(_("Documents adopted")),
                [_("title"), _("kind")],
                meeting_reports.document_rows(report),
            )
        )
        if report.signatures:
            sheets.append(
                Sheet(
                    str(_("Signed or ratified")),
                    [_("document"), _("party"), _("action"), _("date")],
                    meeting_reports.signature_rows(report),
                )
            )
        sheets.append(
            Sheet(
                str(_("Decisions")),
                [
                    _("date"),
                    _("kind"),
                    _("procedure"),
                    _("text"),
                    _("records it concerns"),
                    _("source"),
                ],
                meeting_reports.decision_rows(report),
            )
        )
        return sheets

    def filename(self, data):
        meeting = data["meeting"]
        return f"meeting-{meeting.body.code}-{meeting.start:%Y-%m-%d}"


class RegisterKind(ReportKind):
    slug = "register"
    title = _("Register of members and observers")
    description = _(
        "Members and observers on a date, with their dates of accession and the "
        "founding members; the changes of standing over a period."
    )
    form_class = forms.RegisterForm
    permissions = ("registry.view_party", "registry.view_standingchange")
    template = "reports/register.html"

    def build(self, data):
        report = registry_reports.register(on=data["on"], since=data.get("since"))
        years = registry_reports.membership_by_year(today=data["on"])
        return {
            "report": report,
            "years": years,
            "chart": charts.membership_chart(years) if years else "",
            "heading": _("Members and observers of CICA on %(day)s")
            % {"day": _day(report.on)},
        }

    def sheets(self, context):
        report = context["report"]
        entry_headers = [
            _("party"),
            _("code"),
            _("since"),
            _("founding member"),
            _("status"),
        ]

        def entries(rows):
            return [
                [
                    e.party.name,
                    e.party.code,
                    e.since_display,
                    _("yes") if e.founding else "",
                    Status(e.status).label,
                ]
                for e in rows
            ]

        sheets = [
            Sheet(str(_("Members")), entry_headers, entries(report.roster.members)),
            Sheet(str(_("Observers")), entry_headers, entries(report.roster.observers)),
        ]
        if report.roster.uncertain:
            sheets.append(
                Sheet(
                    str(_("Standing uncertain")),
                    [_("party"), _("status"), _("date")],
                    [
                        [c.party.name, c.get_status_display(), c.when]
                        for c in report.roster.uncertain
                    ],
                )
            )
        if report.since:
            sheets.append(
                Sheet(
                    str(_("Changes")),
                    [_("date"), _("party"), _("status"), _("basis")],
                    [
                        [c.when, c.party.name, c.get_status_display(), c.basis]
                        for c in report.changes
                    ],
                )
            )
        return sheets

    def filename(self, data):
        return f"register-{data['on']:%Y-%m-%d}"


class ChairmanshipKind(ReportKind):
    slug = "chairmanship"
    title = _("Chairmanship timeline")
    description = _("Every chairmanship term, its extensions and basis, and the gaps.")
    permissions = ("registry.view_chairmanshipterm",)
    template = "reports/chairmanship.html"

    def build(self, data):
        return {
            "rows": registry_reports.chairmanship_timeline(),
            "horizon": RecordHorizon.objects.passed_on(
                timezone.localdate(), HorizonKind.CHAIRMANSHIP
            ),
            "heading": _("Chairmanship of CICA"),
        }

    def sheets(self, context):
        rows = []
        for row in context["rows"]:
            term = row.term
            rows.append(
                [
                    term.party.name if term else _("no chair recorded"),
                    term.start_display if term else _day(row.start),
                    (term.end_display if term else _day(row.end)) or "…",
                    str(term.extends.party) if term and term.extends_id else "",
                    term.basis if term else "",
                ]
            )
        return [
            Sheet(
                str(_("Chairmanship")),
                [_("chair"), _("from"), _("to"), _("extends the term of"), _("basis")],
                rows,
            )
        ]


class SecretariatKind(ReportKind):
    slug = "secretariat"
    title = _("Secretariat")
    description = _("Where the Secretariat sat, and who held its posts over time.")
    permissions = ("registry.view_seatevent", "registry.view_postholding")
    template = "reports/secretariat.html"

    def build(self, data):
        return {
            "report": registry_reports.secretariat(),
            "horizon": RecordHorizon.objects.passed_on(
                timezone.localdate(), HorizonKind.SECRETARIAT
            ),
            "heading": _("The CICA Secretariat"),
        }

    def sheets(self, context):
        report = context["report"]
        return [
            Sheet(
                str(_("Seat")),
                [_("date"), _("event"), _("city"), _("basis")],
                [[e.when, e.get_kind_display(), e.city, e.basis] for e in report.seat],
            ),
            Sheet(
                str(_("Posts")),
                [
                    _("post"),
                    _("holder"),
                    _("nationality"),
                    _("seconded"),
                    _("from"),
                    _("to"),
                ],
                [
                    [
                        post.title,
                        h.holder_name,
                        h.nationality.name if h.nationality_id else "",
                        _("yes") if h.seconded else "",
                        _partial(h.start, h.start_precision),
                        _partial(h.end, h.end_precision),
                    ]
                    for post, holdings in report.posts
                    for h in holdings
                ],
            ),
        ]


class DocumentKind(ReportKind):
    slug = "document"
    title = _("Document status")
    description = _(
        "For one document, what every member and every party that acted on it had "
        "done by a date: signature, ratification, accession or nothing."
    )
    form_class = forms.DocumentForm
    subject = "document"
    permissions = ("meetings.view_document", "meetings.view_documentaction")
    template = "reports/document.html"

    def build(self, data):
        report = meeting_reports.document_status(data["document"], on=data["on"])
        return {
            "report": report,
            "horizon": RecordHorizon.objects.passed_on(
                report.on, HorizonKind.DOCUMENTS
            ),
            "columns": meeting_reports.ACTION_COLUMNS,
            "heading": _("%(document)s: status on %(day)s")
            % {"document": report.document.title, "day": _day(report.on)},
        }

    def sheets(self, context):
        report = context["report"]
        kinds = meeting_reports.ACTION_COLUMNS
        return [
            Sheet(
                str(_("Status")),
                [_("party"), _("code"), _("status"), *[label for _k, label in kinds]],
                [
                    [
                        row.party.name,
                        row.party.code,
                        row.state,
                        *[
                            row.actions[kind].when if kind in row.actions else ""
                            for kind, _label in kinds
                        ],
                    ]
                    for row in report.rows
                ],
            )
        ]

    def filename(self, data):
        return f"document-{data['document'].pk}-{data['on']:%Y-%m-%d}"


class FinanceKind(ReportKind):
    slug = "finance"
    title = _("Contributions and pledges")
    description = _(
        "Contributions by party and year in the reporting currency, at the rates "
        "recorded; pledges outstanding and overpaid on a date."
    )
    form_class = forms.FinanceForm
    permissions = FINANCE_PERMISSIONS
    template = "reports/finance.html"

    def build(self, data):
        year = data.get("year")
        synthetic = bool(data.get("include_synthetic"))
        table = finance_reports.year_party_table(
            [year] if year else None, include_synthetic=synthetic
        )
        return {
            "table": table,
            "year": year,
            "on": data["on"],
            "include_synthetic": synthetic,
            "outstanding": finance_reports.outstanding_pledges(
                data["on"], include_synthetic=synthetic
            ),
            "overpaid": finance_reports.overpaid_pledges(
                data["on"], include_synthetic=synthetic
            ),
            "chart_years": charts.contributions_by_year_chart(table)
            if table.rows and len(table.years) > 1
            else "",
            "chart_parties": charts.contributions_by_party_chart(table)
            if table.rows
            else "",
            "heading": _synthetic(
                _("Voluntary contributions, %(year)s") % {"year": year}
                if year
                else _("Voluntary contributions"),
                data,
            ),
        }

    def sheets(self, context):
        table = context["table"]
        money = table.reporting
        contributions = [
            [
                row.party.name,
                row.party.code,
                *[row.total(year) for year in table.years],
                row.total(),
                float(table.share(row)),
            ]
            for row in table.rows
        ]
        pledge_headers = [
            _("party"),
            _("pledged"),
            _("currency"),
            _("period"),
            _("pledged on"),
            _("received"),
            _("outstanding"),
            _("days since pledged"),
        ]

        def pledges(balances, sign=1):
            return [
                [
                    b.pledge.party.name,
                    b.pledge.amount,
                    b.pledge.currency,
                    b.pledge.period,
                    b.pledge.date,
                    b.received,
                    sign * b.outstanding,
                    b.age_days,
                ]
                for b in balances
            ]

        overpaid_headers = [*pledge_headers]
        overpaid_headers[6] = _("overpaid")
        return [
            Sheet(
                str(_("Contributions (%(currency)s)") % {"currency": money}),
                [
                    _("party"),
                    _("code"),
                    *[str(year) for year in table.years],
                    _("total"),
                    _("share"),
                ],
                contributions,
            ),
            Sheet(
                str(_("Outstanding pledges")),
                pledge_headers,
                pledges(context["outstanding"]),
            ),
            Sheet(
                str(_("Overpaid pledges")),
                overpaid_headers,
                pledges(context["overpaid"], sign=-1),
            ),
        ]

    def filename(self, data):
        return f"finance-{data['year']}" if data.get("year") else "finance"


class StatementKind(ReportKind):
    slug = "statement"
    title = _("Statement of a party")
    description = _(
        "A party's pledges and contributions by year or pledge period, with the "
        "balance valued at the statement's date."
    )
    form_class = forms.StatementForm
    subject = "party"
    permissions = FINANCE_PERMISSIONS
    template = "reports/statement.html"

    def build(self, data):
        # Found again: under --as-of, the party as the records then held it.
        party = Party.objects.get(pk=data["party"].pk)
        synthetic = bool(data.get("include_synthetic"))
        statement = finance_reports.party_statement(
            party, on=data["on"], include_synthetic=synthetic
        )
        return {
            "statement": statement,
            "include_synthetic": synthetic,
            "heading": _synthetic(
                _("Statement of %(party)s on %(day)s")
                % {"party": statement.party.name, "day": _day(statement.on)},
                data,
            ),
        }

    def sheets(self, context):
        statement = context["statement"]

        return [
            Sheet(
                str(_("Statement (%(currency)s)") % {"currency": statement.reporting}),
                [
                    _("period"),
                    _("pledged"),
                    _("received"),
                    _("pledged value"),
                    _("cash value"),
                    _("in kind value"),
                    _("balance value"),
                ],
                [
                    [
                        line.period,
                        format_amounts(line.pledged),
                        format_amounts(line.received),
                        line.pledged_value,
                        line.cash_value,
                        line.in_kind_value,
                        line.balance_value,
                    ]
                    for line in statement.lines
                ],
            ),
            Sheet(
                str(_("Rates used")),
                [_("currency"), _("date"), _("rate")],
                [[r.currency, r.date, r.rate] for r in statement.rates_used],
            ),
        ]

    def filename(self, data):
        return f"statement-{data['party'].code}-{data['on']:%Y-%m-%d}"


KINDS = {
    kind.slug: kind
    for kind in (
        MeetingReportKind(),
        RegisterKind(),
        ChairmanshipKind(),
        SecretariatKind(),
        DocumentKind(),
        FinanceKind(),
        StatementKind(),
    )
}
