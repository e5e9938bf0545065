"""The records as they stood: rebuilt from history, never touching the live tables."""

import pytest
from django.utils import timezone

from cica_admin.core.history import tracked_models
from cica_admin.core.services import record_save
from cica_admin.reporting.snapshot import records_as_of
from meetings.models import Decision
from registry.models import Party, StandingChange

pytestmark = pytest.mark.django_db


def rows(model):
    return sorted(
        model.objects.values_list(*[f.attname for f in model._meta.concrete_fields])
    )


def wait_past(moment):
    while timezone.now() <= moment:
        pass


def test_every_table_as_of_now_equals_the_live_table(cica_record):
    live = {model: rows(model) for model in tracked_models()}
    links = {
        decision.pk: sorted(decision.standing_changes.values_list("pk", flat=True))
        for decision in Decision.objects.all()
    }
    assert any(links.values())
    with records_as_of(timezone.now()):
        for model in tracked_models():
            assert rows(model) == live[model], model._meta.label
        assert {
            d.pk: sorted(d.standing_changes.values_list("pk", flat=True))
            for d in Decision.objects.all()
        } == links


def test_an_edit_and_a_deletion_are_undone_and_the_live_records_are_kept(cica_record):
    kazakhstan = Party.objects.get_by_natural_key("KAZ")
    moment = timezone.now()
    wait_past(moment)
    kazakhstan.name = "Renamed"
    record_save(kazakhstan)
    decision = Decision.objects.filter(standing_changes__isnull=False).first()
    linked = sorted(decision.standing_changes.values_list("pk", flat=True))
    decision.standing_changes.clear()
    uncertain = StandingChange.objects.filter(date__isnull=True).first().pk
    StandingChange.objects.get(pk=uncertain).delete()

    with records_as_of(moment):
        assert Party.objects.get(pk=kazakhstan.pk).name == "Kazakhstan"
        assert StandingChange.objects.filter(pk=uncertain).exists()
        assert (
            sorted(
                Decision.objects.get(pk=decision.pk).standing_changes.values_list(
                    "pk", flat=True
                )
            )
            == linked
        )

    assert Party.objects.get(pk=kazakhstan.pk).name == "Renamed"
    assert not StandingChange.objects.filter(pk=uncertain).exists()
    assert not decision.standing_changes.exists()


def test_nothing_written_inside_is_kept(cica_record):
    with records_as_of(timezone.now()):
        Party.objects.update(name="Scribbled")
    assert not Party.objects.filter(name="Scribbled").exists()


def test_before_anything_was_recorded_the_records_are_empty(cica_record):
    with records_as_of(timezone.now() - timezone.timedelta(days=1)):
        assert not Party.objects.exists()
    assert Party.objects.exists()
