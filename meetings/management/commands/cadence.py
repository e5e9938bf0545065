import json

from django.core.management.base import BaseCommand

from meetings.selectors import cadence_report


class Command(BaseCommand):
    help = (
        "For each body: its meetings in order, the years between them, where the "
        "body's cadence rule was broken, and when the next meeting is due."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, format, **options):
        report = cadence_report()
        if format == "json":
            self.stdout.write(
                json.dumps([_as_dict(entry) for entry in report], indent=2)
            )
            return
        for entry in report:
            rule = entry.body.max_interval_years
            self.stdout.write(
                f"\n{entry.body.name}: "
                + (f"at least every {rule} year(s)" if rule else "meets as needed")
            )
            for meeting, interval in entry.rows:
                gap = ""
                if interval:
                    verdict = ""
                    if rule:
                        verdict = (
                            f"  {interval.verdict.upper()}"
                            if interval.broken
                            else f"  {interval.verdict}"
                        )
                    gap = f"  +{interval.years} y{verdict}"
                self.stdout.write(f"  {meeting.when:<22} {meeting.display_title}{gap}")
            if entry.record_incomplete:
                self.stdout.write(
                    "  record incomplete: "
                    f"{entry.body.meetings_incomplete_reason} (cadence not judged)"
                )
            elif entry.next_due_year:
                overdue = (
                    " (overdue: no later meeting recorded)" if entry.overdue else ""
                )
                if entry.beyond_horizon:
                    overdue = (
                        f" (the record ends on {entry.beyond_horizon.date}: whether "
                        "it was held is not known)"
                    )
                self.stdout.write(f"  next due in {entry.next_due_year}{overdue}")


def _as_dict(entry):
    return {
        "body": entry.body.code,
        "max_interval_years": entry.body.max_interval_years,
        "meetings": [
            {"title": m.display_title, "start": m.start.isoformat()}
            for m in entry.meetings
        ],
        "breaks": [
            {
                "from": i.previous.start.isoformat(),
                "to": i.following.start.isoformat(),
                "years": i.years,
            }
            for i in entry.breaks
        ],
        "next_due_year": entry.next_due_year,
        "overdue": entry.overdue,
        "record_incomplete": entry.record_incomplete,
        "beyond_horizon": entry.beyond_horizon.date.isoformat()
        if entry.beyond_horizon
        else None,
        "judged_from": entry.body.cadence_judged_from.isoformat()
        if entry.body.cadence_judged_from
        else None,
    }
