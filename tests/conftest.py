import io

import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests.snapshots import Snapshot


def load_cica():
    call_command("load_cica", verbosity=0, stdout=io.StringIO())


def load_cica_and_synthetic_finance():
    load_cica()
    call_command("generate_synthetic", "--contributions", "3", stdout=io.StringIO())


def put_back(snapshot):
    """Restore ``snapshot`` for one test, and forget the dashboard's charts: they are
    cached by the date and id of the latest history row, which the rows put back
    repeat from test to test, so an earlier test's chart would be shown."""
    snapshot.restore()
    cache.clear()


@pytest.fixture(scope="session")
def cica_record_snapshot(django_db_setup, django_db_blocker):
    """The rows ``load_cica`` writes, written once a session (see tests.snapshots)."""
    with django_db_blocker.unblock():
        return Snapshot.take(load_cica)


@pytest.fixture
def cica_record(db, cica_record_snapshot):
    """The CICA record as ``load_cica`` loads it from the seeds."""
    put_back(cica_record_snapshot)


@pytest.fixture(scope="session")
def finance_records_snapshot(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return Snapshot.take(load_cica_and_synthetic_finance)


@pytest.fixture
def finance_records(db, finance_records_snapshot):
    """The CICA record and, as ``generate_synthetic --contributions 3`` makes them,
    made-up pledges, contributions and rates: a record of every finance type."""
    put_back(finance_records_snapshot)


@pytest.fixture
def clerk(db):
    from tests.factories import UserFactory

    return UserFactory(username="clerk")


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client
