import csv
import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import dateformat, timezone

from registry.selectors import roster_on


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            f"--on expects a date as YYYY-MM-DD, not {value!r}."
        ) from exc


class Command(BaseCommand):
    help = (
        "Members and observers of CICA on a date, with since-dates and their "
        "precision, and the chair on that date."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", type=str, help="YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--format", choices=["table", "csv", "json"], default="table"
        )

    def handle(self, *args, on, format, **options):
        day = _date(on) if on else timezone.localdate()
        roster = roster_on(day)
        if roster.horizon and format != "json":
            self.stderr.write(str(roster.horizon.warning))
        getattr(self, f"write_{format}")(roster)

    def write_json(self, roster):
        self.stdout.write(json.dumps(roster.as_dict(), indent=2, ensure_ascii=False))

    def write_csv(self, roster):
        writer = csv.writer(self.stdout)
        writer.writerow(
            ["status", "code", "name", "since", "precision", "since_latest", "founding"]
        )
        for entries in (roster.members, roster.observers):
            for entry in entries:
                row = entry.as_dict()
                writer.writerow(
                    [
                        entry.status,
                        row["code"],
                        row["name"],
                        row["since"] or "",
                        row["precision"],
                        row["since_latest"] or "",
                        "yes" if row["founding"] else "",
                    ]
                )

    def write_table(self, roster):
        chair = roster.chair.name if roster.chair else "not recorded"
        day = dateformat.format(roster.date, "j F Y")
        self.stdout.write(f"CICA roster on {day}. Chair: {chair}.")
        for title, entries in (
            ("Members", roster.members),
            ("Observers", roster.observers),
        ):
            self.stdout.write(f"\n{title} ({len(entries)})")
            for entry in entries:
                founding = "  founding member" if entry.founding else ""
                since = (
                    f"suspended since {entry.since_display}"
                    if entry.suspended
                    else f"since {entry.since_display}"
                )
                self.stdout.write(
                    f"  {entry.party.code:<8} {entry.party.name:<40} {since}{founding}"
                )
        if roster.uncertain:
            self.stdout.write(
                f"\nNot counted: the record cannot tell whether these held on "
                f"{day} ({len(roster.uncertain)})"
            )
            for change in roster.uncertain:
                self.stdout.write(
                    f"  {change.party.code:<8} {change.party.name:<40} "
                    f"{change.get_status_display()} {change.when}"
                )
