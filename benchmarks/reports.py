"""The meeting report as HTML, PDF and xlsx, against floors measured in the same run.

    .venv/bin/python benchmarks/reports.py [--delegations 60] [--repeat 5]

Runs on a fresh SQLite database in a temporary folder with the CICA record loaded,
plus one synthetic meeting (which never reaches a real database) with 60 member
delegations, 10 documents adopted, 10 signatures and 5 decisions. Each step is the
best of --repeat runs, through the admin's own URL, as a clerk would ask for it.

The issue states its targets against WeasyPrint rendering a bare 60-row table in
about 0.7 s: HTML 100 ms, PDF 1 s, xlsx 200 ms. The machines are shared and noisy,
so the same bare table is rendered here, in this run, and each step is reported as
a multiple of it; the targets become 0.143, 1.43 and 0.286 of that floor. Queries
are counted for the same meeting with 5 delegations and with 60.
"""

import argparse
import datetime
import io
import sys
import time

from common import add_database_argument, setup

REFERENCE_FLOOR = 0.7  # seconds, as the issue measured it
TARGETS = {"html": 0.100, "pdf": 1.0, "xlsx": 0.200}  # seconds against that floor


def best(repeat, run):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def synthetic_meeting(delegations, tag):
    from django_countries import countries

    from cica_admin.core.services import record_save
    from meetings.models import (
        Decision,
        DecisionKind,
        Delegation,
        Document,
        DocumentAction,
        Level,
    )
    from registry.models import Party
    from tests.factories import BodyFactory, MeetingFactory, member

    body = BodyFactory(code=f"bench{tag}", name=f"Benchmark body {tag}")
    meeting = MeetingFactory(
        body=body, start=datetime.date(2016, 9, 12), attendance_complete=True
    )
    taken = set(Party.objects.values_list("country", flat=True))
    free = [code for code, _name in countries if code not in taken]
    states = [
        member(name=f"Synthetic {tag} {i:02d}", country=free[i])
        for i in range(delegations)
    ]
    for index, state in enumerate(states):
        record_save(
            Delegation(
                meeting=meeting,
                party=state,
                level=Level.MINISTER,
                head_name=f"Head of delegation {index}",
                head_title="Minister of Foreign Affairs",
            )
        )
    documents = [
        record_save(
            Document(
                kind="declaration", title=f"Declaration {tag} {i}", adopted_at=meeting
            )
        )
        for i in range(10)
    ]
    for document, state in zip(documents, states, strict=False):
        record_save(
            DocumentAction(
                document=document,
                party=state,
                action="signature",
                date=meeting.start,
                meeting=meeting,
            )
        )
    for index in range(5):
        decision = record_save(
            Decision(
                kind=DecisionKind.ADOPTION, meeting=meeting, text=f"Decision {index}"
            )
        )
        decision.documents.set(documents[index * 2 : index * 2 + 2])
    return meeting


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--delegations", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=5)
    add_database_argument(parser)
    args = parser.parse_args()
    setup(args.postgres)
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.template import engines
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from openpyxl import Workbook
    from weasyprint import HTML

    from meetings.models import Delegation

    user = get_user_model().objects.create_superuser("bench", password="bench")
    client = Client()
    client.force_login(user)
    small = synthetic_meeting(5, "A")
    large = synthetic_meeting(args.delegations, "B")

    def url(meeting, output):
        path = reverse("admin:report", args=["meeting"])
        return f"{path}?meeting={meeting.pk}&format={output}"

    def get(meeting, output):
        response = client.get(url(meeting, output))
        assert response.status_code == 200, response.content[:500]
        return response

    get(large, "pdf")  # warm up: imports, fonts, template loading

    # Floors: one query for the rows, then the bare table in each form.
    rows = list(
        Delegation.objects.filter(meeting=large)
        .select_related("party")
        .values_list("party__name", "level", "head_name", "head_title")
    )
    table = engines["django"].from_string(
        "<table>{% for r in rows %}<tr>{% for c in r %}<td>{{ c }}</td>{% endfor %}"
        "</tr>{% endfor %}</table>"
    )

    def pdf_floor():
        HTML(string=table.render({"rows": rows})).write_pdf()

    def xlsx_floor():
        workbook = Workbook()
        for row in rows:
            workbook.active.append(row)
        workbook.save(io.BytesIO())

    floor = best(args.repeat, pdf_floor)
    floors = {
        "html": best(args.repeat, lambda: table.render({"rows": rows})),
        "xlsx": best(args.repeat, xlsx_floor),
    }
    print(
        f"meeting with {args.delegations} delegations, 10 documents, 5 decisions; "
        f"best of {args.repeat}"
    )
    print(f"floor: WeasyPrint, bare {len(rows)}-row table  {floor * 1000:8.1f} ms")
    print(
        f"{'':6}{'ms':>8}{'target':>8}{'x floor':>9}{'scaled':>8}  "
        f"queries (5 / {args.delegations})"
    )
    failed = False
    for output in ("html", "pdf", "xlsx"):
        took = best(args.repeat, lambda output=output: get(large, output))
        counts = []
        for meeting in (small, large):
            with CaptureQueriesContext(connection) as queries:
                get(meeting, output)
            counts.append(len(queries))
        ratio = took / floor
        scaled = TARGETS[output] / REFERENCE_FLOOR
        verdicts = [
            "ms ok" if took <= TARGETS[output] else "ms OVER",
            "scaled ok" if ratio <= scaled else "scaled OVER",
            "queries ok" if counts[0] == counts[1] else "queries GROW",
        ]
        failed |= took > TARGETS[output] or counts[0] != counts[1]
        print(
            f"{output:6}{took * 1000:8.1f}{TARGETS[output] * 1000:8.0f}"
            f"{ratio:9.3f}{scaled:8.3f}  {counts[0]:>3} / {counts[1]:<3} "
            + ", ".join(verdicts)
        )
    print(
        f"scaled: the issue's target over its 0.7 s floor; this run's floor is "
        f"{floor:.2f} s (bare html {floors['html'] * 1000:.1f} ms, "
        f"bare xlsx {floors['xlsx'] * 1000:.1f} ms)"
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
