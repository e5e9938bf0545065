"""Clerks at work, for locust: run by benchmarks/load.py, which prepares the database,
the users and the server, and reads the results.

Each clerk browses lists, opens records, saves a meeting of their own
(through the admin's change form, as a browser posts it, with the version the form
carries) and downloads a meeting report as PDF. When the run stops, the time of every
request and the notes each clerk last saved are written to LOAD_RESULTS (JSON).
"""

import json
import os
import random
import re
import sys
from collections import defaultdict
from itertools import count
from pathlib import Path

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.html_forms import FormReader

SAVED = {}  # meeting id → the notes of its last save the server accepted
IN_FLIGHT = {}  # meeting id → the notes of a save not answered when the run stopped
TIMES = defaultdict(list)  # request name → milliseconds of each
FAILED = defaultdict(int)  # request name → failures
_numbers = count(1)


def form_fields(html, form_id):
    reader = FormReader(form_id)
    reader.feed(html)
    return reader.data


class Clerk(HttpUser):
    wait_time = between(
        float(os.environ.get("LOAD_WAIT_MIN", "1")),
        float(os.environ.get("LOAD_WAIT_MAX", "3")),
    )

    def on_start(self):
        """Take up the session load.py opened for this clerk: clerks log in once a
        day, not all in the same minute (a login costs a password hash, ~0.7 s of
        CPU by design)."""
        self.number = next(_numbers)
        self.meeting = json.loads(os.environ["LOAD_MEETINGS"])[self.number - 1]
        session = json.loads(os.environ["LOAD_SESSIONS"])[self.number - 1]
        self.client.cookies.set("sessionid", session)
        self.report_meetings = json.loads(os.environ["LOAD_REPORT_MEETINGS"])
        self.parties = json.loads(os.environ["LOAD_PARTIES"])
        self.saves = 0

    @task(6)
    def browse_a_list(self):
        url, name = random.choice(
            [
                ("/admin/registry/party/", "list: parties"),
                ("/admin/meetings/meeting/", "list: meetings"),
                ("/admin/meetings/delegation/", "list: delegations"),
                ("/admin/meetings/meeting/?q=summit", "list: meetings, searched"),
            ]
        )
        self.client.get(url, name=name)

    @task(4)
    def open_a_record(self):
        if random.random() < 0.5:
            party = random.choice(self.parties)
            self.client.get(
                f"/admin/registry/party/{party}/change/", name="open: party"
            )
        else:
            meeting = random.choice(self.report_meetings)
            self.client.get(
                f"/admin/meetings/meeting/{meeting}/change/", name="open: meeting"
            )

    @task(2)
    def save_my_meeting(self):
        url = f"/admin/meetings/meeting/{self.meeting}/change/"
        page = self.client.get(url, name="open: meeting (to save)")
        fields = [(k, v) for k, v in form_fields(page.text, "meeting_form")]
        self.saves += 1
        notes = f"clerk{self.number:02d} save {self.saves}"
        fields = [(k, notes if k == "notes" else v) for k, v in fields]
        # If the run stops before the answer comes, the server may still store it.
        IN_FLIGHT[self.meeting] = notes
        with self.client.post(
            url,
            fields,
            headers={"Referer": self.host + url},
            name="save: meeting",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            del IN_FLIGHT[self.meeting]
            if response.status_code == 302:
                SAVED[self.meeting] = notes
            else:
                errors = re.findall(
                    r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text
                )
                response.failure(f"save refused ({response.status_code}): {errors[:2]}")

    @task(1)
    def download_a_report(self):
        meeting = random.choice(self.report_meetings)
        with self.client.get(
            f"/admin/reports/meeting/?meeting={meeting}&format=pdf",
            name="report: meeting PDF",
            catch_response=True,
        ) as response:
            if not response.content.startswith(b"%PDF-"):
                response.failure("not a PDF")


@events.request.add_listener
def record(name, response_time, exception, **kwargs):
    TIMES[name].append(response_time)
    if exception is not None:
        FAILED[name] += 1


@events.test_stop.add_listener
def write_results(environment, **kwargs):
    """What load.py reads: the times and failures of every request, and the saves."""
    with open(os.environ["LOAD_RESULTS"], "w") as out:
        results = {"times": TIMES, "failed": FAILED, "saved": SAVED}
        json.dump({**results, "in_flight": IN_FLIGHT}, out)
