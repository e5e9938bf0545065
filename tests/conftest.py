import io

import pytest
from django.core.management import call_command


@pytest.fixture
def cica_record(db):
    """The CICA record as ``load_cica`` loads it from the seeds."""
    call_command("load_cica", verbosity=0, stdout=io.StringIO())


@pytest.fixture
def clerk(db):
    from tests.factories import UserFactory

    return UserFactory(username="clerk")


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client
