"""The audit log and the deleted records with 100,000 history rows, against a floor
measured in the same run.

    .venv/bin/python benchmarks/audit.py [--rows 100000] [--repeat 5]

Runs on a fresh SQLite database in a temporary folder with the CICA record loaded,
then writes ``--rows`` synthetic history rows straight into the history tables
(``bulk_create`` of the historical models: versions of the loaded records with an
edited note, spread over six years, by five users, a third from imports, a third from
commands, a third from the admin) and 1,000 records added and deleted. The synthetic
rows live only in that temporary database.

Each step is the best of --repeat runs through the admin's own URL, as a clerk would
ask for it, with the queries it ran. Two floors are measured in the same run: the
cheapest query a page of 50 history rows could cost (a plain ``SELECT ... ORDER BY
history_date DESC LIMIT 50`` on the biggest history table), and the admin's own list
of parties, a page of the same admin with no history in it. An export is compared
with openpyxl writing as many ready rows. Last come the two ways of ordering the
union (``cica_admin.core.history.pick``) and the COUNT over it. That the queries of a
page do not grow with its entries is a test (tests/audit/test_audit_log.py).
"""

import argparse
import datetime
import io
import random
import time

from common import add_database_argument, setup

WEIGHTS = {  # share of the synthetic rows per model; the rest get none
    "registry.Party": 30,
    "registry.StandingChange": 20,
    "meetings.Delegation": 20,
    "meetings.Meeting": 10,
    "meetings.Document": 10,
    "meetings.Decision": 5,
    "meetings.DocumentAction": 5,
}
DELETED = 1000
START = datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)
SPAN = datetime.timedelta(days=6 * 365)


def best(repeat, run):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def populate(total, seed=1):
    """``total`` versions of the loaded records and ``DELETED`` deleted records,
    written straight into the history tables."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    from cica_admin.core.models import ImportBatch

    chance = random.Random(seed)
    users = [
        get_user_model().objects.create_user(f"bench-clerk-{i}", is_staff=True)
        for i in range(5)
    ]
    batches = [
        ImportBatch.objects.create(file_name=f"bench-{i}.xlsx", what="bench")
        for i in range(20)
    ]
    weight_total = sum(WEIGHTS.values())
    step = SPAN / total
    moment = START
    for label, weight in WEIGHTS.items():
        model = apps.get_model(label)
        history = model.history.model
        templates = list(history.objects.filter(history_type="+"))
        rows = []
        for index in range(total * weight // weight_total):
            template = chance.choice(templates)
            row = history(
                **{
                    field.attname: getattr(template, field.attname)
                    for field in history._meta.concrete_fields
                    if field.attname != "history_id"
                }
            )
            moment += step
            row.history_date = moment
            row.history_type = "~"
            row.history_user = chance.choice(users)
            row.import_batch = None
            row.history_change_reason = None
            kind = index % 3
            if kind == 0:
                batch = chance.choice(batches)
                row.import_batch = batch
                row.history_change_reason = str(batch.reason)
            elif kind == 1:
                row.history_change_reason = f"bench command {index % 7}"
            if hasattr(row, "note"):
                row.note = f"note {index}"
            elif hasattr(row, "notes"):
                row.notes = f"notes {index}"
            rows.append(row)
        history.objects.bulk_create(rows, batch_size=2000)
    # Deleted parties: each added, then deleted, never existing now.
    history = apps.get_model("registry.Party").history.model
    template = history.objects.filter(history_type="+").first()
    rows = []
    for index in range(DELETED):
        for kind in "+-":
            row = history(
                **{
                    field.attname: getattr(template, field.attname)
                    for field in history._meta.concrete_fields
                    if field.attname != "history_id"
                }
            )
            row.id = 1_000_000 + index
            row.name = f"Deleted party {index}"
            row.history_type = kind
            row.history_date = START + SPAN * chance.random()
            row.history_user = chance.choice(users)
            rows.append(row)
    history.objects.bulk_create(rows, batch_size=2000)


class Queries:
    """Counts the queries run inside it (whatever DEBUG says)."""

    def __init__(self, connection):
        self.connection = connection
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = self.connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


def per_branch_pick(branches, limit, offset):
    """The alternative ``history.pick`` does not take on SQLite, for comparison: each
    branch ordered and cut inside the union (raw SQL, as Django refuses it there)."""
    from django.db import connection

    from cica_admin.core.history import _branch

    quote = connection.ops.quote_name
    parts, params = [], []
    for index, (model, rows) in enumerate(branches):
        branch = _branch(model, rows).order_by("-history_date", "-history_id")
        sql, branch_params = branch[: offset + limit].query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) {quote(f'b{index}')}")
        params.extend(branch_params)
    sql = (
        " UNION ALL ".join(parts)
        + " ORDER BY history_date DESC, history_id DESC, label DESC LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return cursor.fetchall()


def bare_workbook(count):
    """The floor of an export: openpyxl's write-only workbook of ``count`` rows of
    nine ready values, nothing read or computed."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Audit log")
    moment = datetime.datetime(2024, 1, 1, 12)
    for index in range(count):
        sheet.append(
            [
                moment,
                "bench-clerk-1",
                "changed",
                "party",
                index,
                "Republic of Kazakhstan",
                "bench command 3",
                None,
                f"Note: note {index} → note {index + 1}",
            ]
        )
    workbook.save(io.BytesIO())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    add_database_argument(parser)
    args = parser.parse_args()
    setup(args.postgres)
    import tracemalloc
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from cica_admin.core import history
    from cica_admin.core.audit import export
    from registry.models import Party

    started = time.perf_counter()
    populate(args.rows)
    print(
        f"{args.rows:,} synthetic history rows and {DELETED:,} deleted records "
        f"written in {time.perf_counter() - started:.1f} s"
    )
    models = history.tracked_models()
    total = history.count([(model, model.history.all()) for model in models])
    biggest = max(models, key=lambda model: model.history.count())
    table = biggest.history.model._meta.db_table
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, table)
    indexed = any(
        info["index"] and info["columns"] == ["history_date"]
        for info in indexes.values()
    )
    print(
        f"{total:,} history rows in {len(models)} tables; biggest {table} "
        f"({biggest.history.count():,} rows), history_date indexed: {indexed}"
    )

    user = get_user_model().objects.create_superuser("bench", password="bench")
    client = Client()
    client.force_login(user)
    audit = reverse("admin:audit_log")
    deleted = reverse("admin:deleted_records")
    clerk = get_user_model().objects.get(username="bench-clerk-2")
    party = Party.objects.order_by("pk").first()

    def floor():
        list(biggest.history.order_by("-history_date")[:50])

    floor_time = best(args.repeat, floor)
    print(
        f"floor: SELECT ... ORDER BY history_date DESC LIMIT 50 on {table}: "
        f"{floor_time * 1000:.2f} ms; best of {args.repeat}\n"
    )
    steps = [
        ("first page", audit, {}),
        ("deep page (rows 50,001-50,050)", audit, {"p": 1001}),
        ("last page", audit, {"p": 99999}),
        (
            "filtered: one user, imports, one year",
            audit,
            {
                "user": clerk.pk,
                "kind": "import",
                "date_from": "2021-01-01",
                "date_to": "2021-12-31",
            },
        ),
        ("filtered: reason contains", audit, {"reason": "command 3"}),
        ("one record's log", audit, {"model": "registry.party", "record": party.pk}),
        ("parties only, first page", audit, {"model": "registry.party"}),
        ("deleted records, first page", deleted, {}),
        ("deleted records, last page", deleted, {"p": 99999}),
    ]
    changelist = reverse("admin:registry_party_changelist")
    page_floor = best(args.repeat, lambda: client.get(changelist))
    print(
        f"reference: the admin's own list of parties (its first page): "
        f"{page_floor * 1000:.1f} ms\n"
    )
    print(
        f"{'step':42}{'ms':>9}{'x floor':>9}{'x list':>9}{'queries':>9}{'entries':>9}"
    )
    for title, url, params in steps:

        def get(url=url, params=params):
            response = client.get(url, params)
            assert response.status_code == 200, response.content[:300]
            return response

        took = best(args.repeat, get)
        with Queries(connection) as queries:
            response = get()
        print(
            f"{title:42}{took * 1000:9.1f}{took / floor_time:9.1f}"
            f"{took / page_floor:9.2f}{queries.count:9}"
            f"{response.text.count('audit log of this record'):9}"
        )

    print()
    year = {"date_from": "2021-01-01", "date_to": "2021-12-31", "format": "xlsx"}
    print(f"export limit (AUDIT_EXPORT_MAX_ROWS): {export.row_limit():,} rows")
    settings.AUDIT_EXPORT_MAX_ROWS = 10 * total  # the whole log, to time it

    def download(params):
        response = client.get(audit, params)
        assert response.status_code == 200, response.content[:300]
        return sum(len(chunk) for chunk in response.streaming_content)

    since, until = history.Criteria.days(
        datetime.date(2021, 1, 1), datetime.date(2021, 12, 31)
    )
    for title, params, criteria in (
        ("xlsx export, one year", year, history.Criteria(since=since, until=until)),
        ("xlsx export, the whole log", {"format": "xlsx"}, history.Criteria()),
    ):
        count = history.count(
            [(model, criteria.filter(model.history.all())) for model in models]
        )
        repeat = max(1, args.repeat // 3) if "whole" in title else args.repeat
        took = best(repeat, lambda params=params: download(params))
        with Queries(connection) as queries:
            size = download(params)
        tracemalloc.start()
        download(params)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        bare = best(repeat, lambda count=count: bare_workbook(count))
        print(
            f"{title}: {took * 1000:,.0f} ms, {took / bare:.2f} x a bare workbook "
            f"of as many rows ({bare * 1000:,.0f} ms); {count:,} rows, "
            f"{size / 1e6:.1f} MB, {queries.count} queries in chunks of "
            f"{export.CHUNK:,}, peak Python memory {peak / 1e6:.1f} MB"
        )

    print()
    branches = [(model, model.history.all()) for model in models]
    for title, offset in (("first page", 0), ("deep page", 50_000)):
        plain = best(
            args.repeat, lambda o=offset: history.pick(branches, limit=50, offset=o)
        )
        cut = best(args.repeat, lambda o=offset: per_branch_pick(branches, 50, o))
        print(
            f"union for the {title}: as used {plain * 1000:.1f} ms; with ORDER BY "
            f"+ LIMIT inside each branch {cut * 1000:.1f} ms"
        )
    count_time = best(args.repeat, lambda: history.count(branches))
    print(f"COUNT over the union of {total:,} rows: {count_time * 1000:.1f} ms")


if __name__ == "__main__":
    main()
