"""Spreadsheet import and export of 10,000 contributions, against floors measured in
the same run (the machines are shared and noisy: read the ratios, not the seconds).

    .venv/bin/python benchmarks/spreadsheets.py [--rows 10000] [--repeat 3]

Runs on a fresh SQLite database in a temporary folder (with the CICA record loaded
for the parties) and prints, for each step, the best of --repeat runs:

* floor: openpyxl read-only parse (or csv parse) + ``bulk_create_with_history``;
* stock: django-import-export's own ModelResource, row by row, history by signal;
* ours:  the project's ContributionResource (validated, history, import batch);
* admin: preview + confirm through the admin's two requests;
* export: the resource's export vs one joined query + tablib/openpyxl write.
"""

import argparse
import csv
import io
import re
import time
from decimal import Decimal

from common import add_database_argument, setup


def best(repeat, run, reset):
    times = []
    for _ in range(repeat):
        reset()
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    reset()
    return min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    add_database_argument(parser)
    args = parser.parse_args()
    setup(args.postgres)
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")

    import openpyxl
    from django.contrib.auth import get_user_model
    from django.test import Client
    from import_export import fields, resources, widgets
    from import_export.formats import base_formats
    from simple_history.utils import bulk_create_with_history

    from cica_admin.core.models import ImportBatch
    from cica_admin.core.spreadsheets import files
    from finance.models import Contribution
    from finance.resources import ContributionResource
    from registry.models import Party

    user = get_user_model().objects.create_superuser("bench", password="bench")
    parties = list(Party.objects.filter(kind="state"))
    codes = [p.country.alpha3 for p in parties]
    by_code = {p.country.alpha3: p for p in parties}
    headers = ["party", "reference", "received", "year", "amount", "currency"]
    rows = [
        [
            codes[i % len(codes)],
            f"BENCH-{i:06d}",
            f"20{10 + i % 14}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            2010 + i % 14,
            f"{1000 + i % 9000}.{i % 100:02d}",
            ("USD", "EUR", "KZT")[i % 3],
        ]
        for i in range(args.rows)
    ]
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("contributions")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    xlsx = buffer.getvalue()
    text = io.StringIO()
    csv.writer(text).writerows([headers, *rows])
    csv_bytes = text.getvalue().encode()

    def reset():
        Contribution.history.all().delete()
        Contribution.objects.all().delete()
        ImportBatch.objects.all().delete()

    def build(records):
        import datetime

        return [
            Contribution(
                party=by_code[r[0]],
                reference=r[1],
                received=datetime.date.fromisoformat(str(r[2])[:10]),
                year=int(r[3]),
                amount=Decimal(str(r[4])),
                currency=r[5],
            )
            for r in records
        ]

    def floor_xlsx():
        book = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True, data_only=True)
        records = list(book.worksheets[0].iter_rows(values_only=True))[1:]
        bulk_create_with_history(build(records), Contribution, batch_size=500)

    def floor_csv():
        records = list(csv.reader(io.StringIO(csv_bytes.decode())))[1:]
        bulk_create_with_history(build(records), Contribution, batch_size=500)

    def ours(data, file_format):
        def run():
            dataset = file_format.create_dataset(data)
            result = ContributionResource().import_data(
                dataset, user=user, file_name="bench"
            )
            assert not result.has_validation_errors(), result.problems[:3]
            assert result.counts["new"] == args.rows

        return run

    class ByCode(widgets.ForeignKeyWidget):
        # Stock behaviour: one query per cell.
        def clean(self, value, row=None, **kwargs):
            return Party.objects.get_by_natural_key(value)

    class StockResource(resources.ModelResource):
        party = fields.Field(
            attribute="party",
            column_name="party",
            widget=ByCode(Party),
        )

        class Meta:
            model = Contribution
            fields = ("party", "reference", "received", "year", "amount", "currency")
            import_id_fields = ("party", "reference")

    def stock():
        dataset = base_formats.XLSX().create_dataset(xlsx)
        result = StockResource().import_data(dataset, raise_errors=True)
        assert not result.has_validation_errors()

    client = Client()
    client.force_login(user)

    def admin_preview_confirm():
        upload = io.BytesIO(xlsx)
        upload.name = "bench.xlsx"
        preview = client.post(
            "/admin/finance/contribution/import/",
            {"import_file": upload, "format": "0"},
        )
        assert preview.status_code == 200
        admin_preview_confirm.page_size = len(preview.content)
        hidden = re.findall(
            r'<input type="hidden" name="(\w+)" value="([^"]*)"', preview.text
        )
        response = client.post(
            "/admin/finance/contribution/process_import/", dict(hidden)
        )
        assert response.status_code == 302, response.status_code
        assert Contribution.objects.count() == args.rows

    measured = {}
    measured["floor xlsx"] = best(args.repeat, floor_xlsx, reset)
    measured["ours xlsx"] = best(args.repeat, ours(xlsx, files.XLSX()), reset)
    measured["floor csv"] = best(args.repeat, floor_csv, reset)
    measured["ours csv"] = best(args.repeat, ours(csv_bytes, files.CSV()), reset)
    measured["stock xlsx"] = best(1, stock, reset)
    measured["admin preview+confirm"] = best(args.repeat, admin_preview_confirm, reset)

    floor_xlsx()

    def export_floor():
        # The same sheet, written plainly: one joined query, str() per cell.
        names = [f.column_name for f in ContributionResource().get_export_fields()]
        queryset = Contribution.objects.select_related(
            "party",
            "meeting__body",
            "covers__post",
            "covers__nationality",
            "pledge__party",
        ).order_by("received", "pk")
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("contributions")
        sheet.append(names)
        for c in queryset.iterator(2000):
            sheet.append(
                [
                    c.party.code,
                    c.reference,
                    c.received.isoformat(),
                    c.year,
                    str(c.amount),
                    c.currency,
                    c.kind,
                    c.earmark,
                    str(c.meeting) if c.meeting else "",
                    c.project,
                    str(c.covers) if c.covers else "",
                    str(c.pledge) if c.pledge else "",
                    "yes" if c.overpayment_confirmed else "no",
                    c.note,
                    "yes" if c.synthetic else "no",
                ]
            )
        book.save(io.BytesIO())

    def export_ours():
        files.XLSX().export_data(ContributionResource().export())

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    measured["export floor"] = best(args.repeat, export_floor, lambda: None)
    measured["export ours"] = best(args.repeat, export_ours, lambda: None)
    with CaptureQueriesContext(connection) as queries:
        export_ours()

    floor = measured["floor xlsx"]
    print(f"{args.rows:,} contributions, best of {args.repeat} (SQLite)")
    for name, seconds in measured.items():
        print(f"  {name:24} {seconds:7.2f} s")
    ratio = "  {:32} {:5.2f}  {}".format
    export = measured["export ours"] / measured["export floor"]
    preview = measured["admin preview+confirm"] / floor
    print("ratios")
    print(ratio("ours xlsx / floor xlsx", measured["ours xlsx"] / floor, "<= 1.3"))
    print(
        ratio(
            "ours csv / floor csv",
            measured["ours csv"] / measured["floor csv"],
            "<= 1.5",
        )
    )
    print(ratio("stock xlsx / floor xlsx", measured["stock xlsx"] / floor, "(stock)"))
    print(ratio("admin preview+confirm / floor", preview, "<= 3"))
    print(ratio("export ours / export floor", export, "<= 1.2"))
    print(f"  export queries                   {len(queries)}  (one per sheet)")
    size = admin_preview_confirm.page_size / 1024
    print(f"  admin preview page               {size:.0f} KB  (< 500 KB)")


if __name__ == "__main__":
    main()
