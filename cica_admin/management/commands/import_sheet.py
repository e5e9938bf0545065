from pathlib import Path

from django.apps import apps
from django.core.management import BaseCommand, CommandError

from cica_admin.core.spreadsheets.commands import (
    add_user_argument,
    describe,
    problems_text,
    user_named,
)
from cica_admin.core.spreadsheets.files import CSV, XLSX, SpreadsheetRefused
from cica_admin.core.spreadsheets.workbook import resource_for_model


def resource_for(label):
    try:
        model = apps.get_model(label) if "." in label else _model_named(label)
        return resource_for_model(model)
    except (LookupError, ValueError) as exc:
        raise CommandError(
            f"No record type {label!r} (e.g. finance.Contribution)."
        ) from exc


def _model_named(name):
    for app in ("registry", "meetings", "finance"):
        try:
            return apps.get_model(app, name)
        except LookupError:
            continue
    raise LookupError(name)


class Command(BaseCommand):
    help = "Import one record type from an xlsx or csv file, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "model", help="Record type, e.g. contribution or finance.Contribution."
        )
        parser.add_argument("file", help="The .xlsx or .csv to read.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row, write nothing."
        )
        add_user_argument(parser)

    def handle(self, *args, model, file, dry_run, user, **options):
        resource_class = resource_for(model)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file}.")
        file_format = CSV() if path.suffix.lower() == ".csv" else XLSX()
        self.stderr.write(f"Reading {path.name}…")
        try:
            dataset = file_format.create_dataset(path.read_bytes())
        except SpreadsheetRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(f"Checking {len(dataset):,} rows…")
        result = resource_class().import_data(
            dataset, dry_run=dry_run, user=user_named(user), file_name=path.name
        )
        if result.has_validation_errors():
            raise CommandError(
                "\n".join(
                    [
                        f"Nothing was imported: {describe(result)}.",
                        *problems_text(result),
                    ]
                )
            )
        done = (
            "Dry run, nothing written"
            if dry_run
            else f"Batch {result.batch.pk if result.batch else '-'}"
        )
        self.stdout.write(f"{done}: {describe(result)}.")
