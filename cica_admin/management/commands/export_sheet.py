from pathlib import Path

from django.core.management import BaseCommand

from cica_admin.core.spreadsheets.files import CSV, ODS, XLSX

from .import_sheet import resource_for

FORMATS = {".csv": CSV, ".xlsx": XLSX, ".ods": ODS}


class Command(BaseCommand):
    help = "Export one record type to .xlsx, .csv or .ods (by the file's extension)."

    def add_arguments(self, parser):
        parser.add_argument("model", help="Record type, e.g. party or registry.Party.")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, model, output, **options):
        resource_class = resource_for(model)
        path = Path(output)
        file_format = FORMATS.get(path.suffix.lower(), XLSX)()
        dataset = resource_class().export()
        path.write_bytes(_bytes(file_format.export_data(dataset)))
        self.stdout.write(f"Wrote {len(dataset):,} rows to {path}.")


def _bytes(data):
    return data.encode("utf-8") if isinstance(data, str) else data
