"""Clerks at work at once: locust against gunicorn, one clerk, then many while an import
runs; the ratio of their latencies, the errors, and whether any save was lost.

    .venv/bin/pip install '.[bench]'      # locust
    .venv/bin/python benchmarks/load.py [--users 50] [--seconds 60] [--pause 5 15]
                                        [--workers N] [--postgres URL]

On a fresh database (see common.py) with the CICA record, 2,000 synthetic
contributions, and for each clerk a login session and a meeting of their own, it
serves the application with the project's gunicorn.conf.py and runs
benchmarks/locustfile.py twice:

1. one clerk, without pauses: the latency of each page with no one else;
2. --users clerks, each pausing --pause seconds on a page before the next, while
   ``import_sheet`` imports 2,000 new contributions again and again in the background.

It prints, per page, the requests, failures, p50 and p95 of both runs and the ratio of
the p95s; then the imports finished, and the saves lost: meetings whose notes in the
database differ from the last save the server accepted.
"""

import argparse
import csv
import datetime
import io
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from itertools import count
from pathlib import Path

from common import ROOT, add_database_argument, setup

IMPORT_ROWS = 2_000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: its)")
    parser.add_argument(
        "--pause",
        type=float,
        nargs=2,
        default=(5, 15),
        metavar=("MIN", "MAX"),
        help="seconds a clerk spends on a page before the next (default: 5 15)",
    )
    parser.add_argument(
        "--import-nice",
        type=int,
        default=0,
        metavar="N",
        help="run the imports at this niceness, as a background worker would be "
        "(default: 0, the web server's own priority)",
    )
    add_database_argument(parser)
    args = parser.parse_args()
    setup(args.postgres)
    folder = Path(tempfile.mkdtemp())
    env = prepare(args.users, folder)

    server = serve(env, args.workers)
    try:
        alone = run_locust(env, folder / "alone", users=1, seconds=args.seconds, wait=0)
        crowd = run_locust(
            env,
            folder / "crowd",
            users=args.users,
            seconds=args.seconds,
            wait=args.pause,
        )
        crowd["lost"] = lost_saves(crowd["saved"], crowd["in_flight"])
        importer = Importer(env, folder, nice=args.import_nice)
        busy = run_locust(
            env,
            folder / "busy",
            users=args.users,
            seconds=args.seconds,
            wait=args.pause,
        )
        imports = importer.stop()
        busy["lost"] = lost_saves(busy["saved"], busy["in_flight"])
    finally:
        server.terminate()
        server.wait(timeout=30)

    report(alone, {f"{args.users} clerks": crowd, "… and an import": busy}, args)
    print(
        f"imports of {IMPORT_ROWS:,} contributions during the last run: "
        f"{imports['done']} finished, {imports['failed']} failed"
        + (f" ({imports['error']})" if imports["error"] else "")
    )
    for title, run in ((f"{args.users} clerks", crowd), ("… and an import", busy)):
        lost = run["lost"]
        print(f"{title}: saves accepted {len(run['saved'])}, lost {len(lost)}")
        for meeting, (expected, stored) in list(lost.items())[:5]:
            print(f"  meeting {meeting}: saved {expected!r}, database has {stored!r}")


def prepare(users, folder):
    """Clerks, logged in, their meetings; the environment for the others."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client

    from cica_admin.core.services import record_save
    from meetings.models import Body, Meeting
    from registry.models import Party

    call_command("generate_synthetic", "--contributions", "2000", stdout=io.StringIO())
    groups = Group.objects.filter(name__in=["Registry officer", "Meetings officer"])
    body = Body.objects.order_by("rank").first()
    meetings, sessions = [], []
    for number in range(1, users + 1):
        clerk = get_user_model().objects.create_user(
            f"clerk{number:02d}", is_staff=True
        )
        clerk.groups.set(groups)
        browser = Client()
        browser.force_login(clerk, backend="django.contrib.auth.backends.ModelBackend")
        sessions.append(browser.cookies["sessionid"].value)
        meeting = record_save(
            Meeting(
                body=body,
                title=f"Load benchmark meeting {number}",
                start=datetime.date(2030, 1, 1) + datetime.timedelta(days=number),
                city="Astana",
            )
        )
        meetings.append(meeting.pk)
    parties = list(Party.objects.values_list("pk", flat=True))
    reported = list(
        Meeting.objects.exclude(pk__in=meetings)
        .filter(delegations__isnull=False)
        .distinct()
        .values_list("pk", flat=True)
    )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cica_admin.settings.base",
        "LOAD_SESSIONS": json.dumps(sessions),
        "LOAD_MEETINGS": json.dumps(meetings),
        "LOAD_REPORT_MEETINGS": json.dumps(reported),
        "LOAD_PARTIES": json.dumps(parties),
    }


def serve(env, workers):
    """gunicorn as production runs it (gunicorn.conf.py), on this database."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    command = [sys.executable, "-m", "gunicorn", "--bind", "127.0.0.1:8731"]
    command += ["--no-control-socket"] + (
        ["--workers", str(workers)] if workers else []
    )
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(100):
        try:
            urllib.request.urlopen("http://127.0.0.1:8731/admin/login/").close()
            return server
        except urllib.error.HTTPError as exc:
            server.terminate()
            raise SystemExit(
                f"the login page answers {exc.code}: {exc.read()[-2000:]!r}"
            ) from exc
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def run_locust(env, name, *, users, seconds, wait):
    """Run the clerks; what locustfile.py recorded of each request."""
    low, high = wait if wait else (0, 0)
    results = name.with_suffix(".json")
    with open(name.with_suffix(".log"), "w") as log:
        subprocess.run(
            [
                *(sys.executable, "-m", "locust", "--headless", "--only-summary"),
                *("-f", str(ROOT / "benchmarks" / "locustfile.py")),
                *("--host", "http://127.0.0.1:8731", "--users", str(users)),
                *("--spawn-rate", "10", "--run-time", f"{seconds}s"),
                *("--loglevel", "WARNING"),
            ],
            env={
                **env,
                "LOAD_WAIT_MIN": str(low),
                "LOAD_WAIT_MAX": str(high),
                "LOAD_RESULTS": str(results),
            },
            check=False,
            stdout=log,
            stderr=log,
        )
    return json.loads(results.read_text())


class Importer:
    """``import_sheet`` of 2,000 new contributions, again and again until stopped."""

    def __init__(self, env, folder, nice=0):
        self.env, self.folder, self.nice = env, folder, nice
        self.done = self.failed = 0
        self.error = ""
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run)
        self.thread.start()

    def _run(self):
        for run in count(1):
            if self.stopping.is_set():
                return
            path = self.folder / f"contributions-{run}.csv"
            write_contributions(path, run)
            result = subprocess.run(
                [
                    *(("nice", "-n", str(self.nice)) if self.nice else ()),
                    sys.executable,
                    "manage.py",
                    "import_sheet",
                    "contribution",
                    str(path),
                ],
                cwd=ROOT,
                env=self.env,
                capture_output=True,
                text=True,
            )
            if result.returncode == 0:
                self.done += 1
            else:
                self.failed += 1
                self.error = (result.stderr.strip().splitlines() or [""])[-1]

    def stop(self):
        """Let the import under way finish, then stop."""
        self.stopping.set()
        self.thread.join()
        return {"done": self.done, "failed": self.failed, "error": self.error}


def write_contributions(path, run):
    from registry.models import Party

    codes = [p.code for p in Party.objects.filter(kind="state").exclude(country="")]
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["party", "reference", "received", "year", "amount", "currency"]
        )
        for i in range(IMPORT_ROWS):
            received = f"2019-{1 + i % 12:02d}-{1 + i % 28:02d}"
            party, reference = codes[i % len(codes)], f"LOAD-{run}-{i:05d}"
            writer.writerow([party, reference, received, 2019, f"{1000 + i}.00", "USD"])


def report(alone, runs, args):
    """Per page: n, p50 and p95 alone; n, failures, p50, p95 and the p95's ratio to
    alone's in each run."""
    print(f"\n{'':28} {'1 clerk':>17}", end="")
    for title in runs:
        print(f"  {title:>31}", end="")
    print(f"\n{'page':28} {'n':>5} {'p50':>5} {'p95':>5}", end="")
    print(f"  {'n':>5} {'fail':>4} {'p50':>5} {'p95':>5} {'ratio':>6}" * len(runs))
    pages = sorted(set().union(*(run["times"] for run in runs.values())))
    for label, names in [(name, [name]) for name in pages] + [("all pages", pages)]:
        one = [t for name in names for t in alone["times"].get(name, [])]
        line = f"{label[:28]:28} {len(one):>5} {pct(one, 50):>5} {pct(one, 95):>5}"
        for run in runs.values():
            many = [t for name in names for t in run["times"].get(name, [])]
            fails = sum(run["failed"].get(name, 0) for name in names)
            ratio = f"{pct(many, 95) / pct(one, 95):.1f}×" if one and many else ""
            line += f"  {len(many):>5} {fails:>4} {pct(many, 50):>5} {pct(many, 95):>5}"
            line += f" {ratio:>6}"
        print(line)
    for title, run in runs.items():
        total = sum(len(t) for t in run["times"].values())
        print(
            f"{title}: {total / args.seconds:.1f} requests/s, "
            f"{sum(run['failed'].values())} failed"
        )
    print(f"(times in ms; {args.seconds} s a run, pauses of {args.pause} s)")


def pct(times, percent):
    """The nearest-rank percentile, in whole milliseconds."""
    if not times:
        return 0
    ordered = sorted(times)
    return round(ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)])


def lost_saves(saved, in_flight):
    """Meetings whose notes are neither the last save the server accepted nor one
    still unanswered when the run stopped (asked right after the run: the next one's
    clerks save the same meetings)."""
    from meetings.models import Meeting

    stored = dict(
        Meeting.objects.filter(pk__in=[int(k) for k in saved]).values_list(
            "pk", "notes"
        )
    )
    return {
        pk: (notes, stored.get(int(pk)))
        for pk, notes in saved.items()
        if stored.get(int(pk)) not in (notes, in_flight.get(pk))
    }


if __name__ == "__main__":
    main()
