from pathlib import Path

from django.core.management import BaseCommand, CommandError

from cica_admin.core.spreadsheets.commands import (
    add_user_argument,
    describe,
    problems_text,
    user_named,
)
from cica_admin.core.spreadsheets.files import SpreadsheetRefused
from cica_admin.core.spreadsheets.workbook import WorkbookRefused, import_workbook


class Command(BaseCommand):
    help = (
        "Load a workbook written by export_workbook, sheet by sheet in dependency "
        "order, all or nothing, as one import batch."
    )

    def add_arguments(self, parser):
        parser.add_argument("workbook", help="The .xlsx to read.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row, write nothing."
        )
        add_user_argument(parser)

    def handle(self, *args, workbook, dry_run, user, **options):
        path = Path(workbook)
        if not path.is_file():
            raise CommandError(f"No file {workbook}.")

        def progress(sheet, result, seconds):
            self.stderr.write(f"{sheet}: {describe(result)} ({seconds:.1f} s)")

        try:
            batch, results = import_workbook(
                path.read_bytes(),
                file_name=path.name,
                user=user_named(user),
                dry_run=dry_run,
                progress=progress,
            )
        except (SpreadsheetRefused, WorkbookRefused) as exc:
            raise CommandError(str(exc)) from exc
        failed = [(sheet, r) for sheet, r in results if r.has_validation_errors()]
        if failed:
            sheet, result = failed[0]
            lines = [f"Sheet {sheet}: nothing was imported."]
            lines += problems_text(result)
            raise CommandError("\n".join(lines))
        if dry_run:
            self.stdout.write("Dry run: every row is valid; nothing was written.")
        else:
            self.stdout.write(f"Imported as batch {batch.pk}.")
