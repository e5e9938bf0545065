"""tests.snapshots: the rows a setup writes, taken once and put back per test."""

import pytest
from django.core.management.color import no_style
from django.db import connection

from registry.models import Party, Post
from tests.factories import PostFactory, PostHoldingFactory, StateFactory
from tests.snapshots import Snapshot

pytestmark = pytest.mark.django_db


def kazakhstan():
    StateFactory(country="KZ")


def test_taking_leaves_nothing_and_a_restore_puts_back_rows_and_history():
    snapshot = Snapshot.take(kazakhstan)
    assert not Party.objects.exists()
    assert not Party.history.exists()

    snapshot.restore()

    party = Party.objects.get()
    assert party.code == "KAZ"
    assert party.history.get().id == party.pk


def test_keys_drawn_after_a_restore_follow_the_restored_rows():
    snapshot = Snapshot.take(kazakhstan)
    # Back to the first key, as a flush may leave a sequence (PostgreSQL).
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_by_name_sql(
            no_style(),
            [
                {"table": model._meta.db_table, "column": model._meta.pk.column}
                for model in (Party, Party.history.model)
            ],
        ):
            cursor.execute(sql)

    snapshot.restore()

    assert StateFactory().pk > Party.objects.get(country="KZ").pk


def test_over_rows_the_test_wrote_first_the_setup_runs_again():
    def director():
        Post.objects.get_or_create(title="Executive Director", defaults={"rank": 1})

    snapshot = Snapshot.take(director)
    PostFactory(title="Executive Director", rank=5)

    snapshot.restore()

    assert list(Post.objects.values_list("title", "rank")) == [
        ("Executive Director", 5)
    ]


def test_a_setup_that_changes_rows_made_before_it_is_refused():
    PostFactory()

    with pytest.raises(ValueError, match="a snapshot only adds rows"):
        Snapshot.take(lambda: Post.objects.update(rank=1))


def test_a_setup_that_points_at_rows_made_before_it_is_refused():
    post = PostFactory()

    with pytest.raises(ValueError, match=r"point at registry\.Post rows made before"):
        Snapshot.take(lambda: PostHoldingFactory(post=post))
