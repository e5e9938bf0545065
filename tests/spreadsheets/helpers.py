import io

import openpyxl

from cica_admin.core.spreadsheets.files import CSV, XLSX


def xlsx_bytes(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding="utf-8"):
    import csv

    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode(encoding)


def read(data, kind="xlsx"):
    return (XLSX() if kind == "xlsx" else CSV()).create_dataset(data)


def run_import(resource_class, rows, *, user=None, dry_run=False, name="sheet.xlsx"):
    """Import ``rows`` (headers first) through an xlsx file, as the admin would."""
    dataset = read(xlsx_bytes(rows))
    return resource_class().import_data(
        dataset, dry_run=dry_run, user=user, file_name=name
    )


def problems(result):
    return [(p.row, p.column, p.message) for p in result.problems]
