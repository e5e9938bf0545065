"""Every model of the registry, meetings and finance has a factory, and each factory
makes valid records through the services, with their history."""

import pytest
from django.apps import apps

from tests import factories

pytestmark = pytest.mark.django_db

FACTORIES = [
    factories.StateFactory,
    factories.OrganizationFactory,
    factories.StandingChangeFactory,
    factories.ChairmanshipTermFactory,
    factories.SeatEventFactory,
    factories.RecordHorizonFactory,
    factories.PostFactory,
    factories.PostHoldingFactory,
    factories.PointOfContactFactory,
    factories.BodyFactory,
    factories.MeetingFactory,
    factories.MeetingChairFactory,
    factories.DelegationFactory,
    factories.ReportedFigureFactory,
    factories.DocumentFactory,
    factories.DocumentActionFactory,
    factories.DecisionFactory,
    factories.PledgeFactory,
    factories.ContributionFactory,
    factories.ExchangeRateFactory,
]


def model_of(factory_class):
    return factory_class._meta.get_model_class()


def test_every_model_of_the_record_has_a_factory():
    models = {
        model
        for app in ("registry", "meetings", "finance")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    }
    assert models - {model_of(f) for f in FACTORIES} == set()


@pytest.mark.parametrize("factory_class", FACTORIES, ids=lambda f: f.__name__)
def test_each_factory_makes_valid_records_with_their_history(factory_class):
    records = factory_class.create_batch(2)

    model = model_of(factory_class)
    for record in records:
        record.full_clean()  # what a later save through a service would check
    assert model.objects.filter(pk__in=[r.pk for r in records]).count() == len(
        set(records)
    )
    assert model.history.filter(id__in=[r.pk for r in records]).count() == len(
        set(records)
    )
