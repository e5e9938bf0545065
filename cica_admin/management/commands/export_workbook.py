from django.core.management import BaseCommand

from cica_admin.core.spreadsheets.workbook import export_workbook


class Command(BaseCommand):
    help = "Write every record to one xlsx workbook, a sheet per record type."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="The .xlsx to write.")

    def handle(self, *args, output, **options):
        def progress(sheet, rows, seconds):
            self.stderr.write(f"{sheet}: {rows:,} rows ({seconds:.1f} s)")

        counts = export_workbook(output, progress=progress)
        self.stdout.write(
            f"Wrote {sum(counts.values()):,} rows in {len(counts)} sheets to {output}."
        )
