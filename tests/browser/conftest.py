"""The clerk's journeys in a real browser: Debian's chromium, driven by Playwright,
against Django's live server (see docs/testing.md).

``make test`` runs this package as a second pytest run when chromium is installed,
and says so when it is not; ``.ci/run`` installs it, so CI always runs it.
"""

import os
import shutil

import pytest

from tests.browser import screen

# Playwright's synchronous API runs an event loop in the test's thread, and Django
# refuses database queries from a thread with a running loop: the journeys query
# only to set up their data, before the browser acts, and the live server answers
# the browser in threads of its own.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

#: The browser the journeys drive: Debian's, as Playwright's own download cannot be
#: reached from these machines.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--no-first-run",
    # No traffic but the live server's: the machines have no other network, and
    # chromium would keep trying it.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]

ACTION_TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM):
        return
    here = os.path.dirname(__file__)
    skip = pytest.mark.skip(
        reason=f"no chromium at {CHROMIUM} (apt-get install chromium)"
    )
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": screen.WINDOW,
        # As in the Secretariat: the admin's dates and times are Almaty's.
        "locale": "en-GB",
        "timezone_id": "Asia/Almaty",
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """Pages are opened by their path on the live server: ``page.goto("/admin/")``."""
    return live_server.url


@pytest.fixture
def new_context(new_context):
    """Browser contexts (the ``page`` fixture's too) whose pages are watched: a
    journey fails if the browser showed a page that ``screen.visit`` or
    ``screen.follow`` did not measure."""
    shown = {}

    def watch(page):
        shown[page] = []
        page.on(
            "framenavigated",
            lambda frame: frame.parent_frame is None and shown[page].append(frame.url),
        )

    def make(**kwargs):
        context = new_context(**kwargs)
        # Each step waits this long at most: a page of the admin takes well under a
        # second, a PDF about one.
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.on("page", watch)
        return context

    yield make
    unmeasured = [
        url
        for page, urls in shown.items()
        for url in urls
        if url not in screen.measured.get(page, [])
    ]
    assert not unmeasured, f"pages shown without the layout check: {unmeasured}"
