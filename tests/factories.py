"""Factories that build registry records through the services, as real callers do."""

import datetime
import itertools

import factory
from django.contrib.auth import get_user_model
from django_countries import countries

from cica_admin.core.dates import Precision
from registry import services
from registry.models import ChairmanshipTerm, Party, PartyKind, StandingChange, Status

# Alpha-2 codes in a stable order, skipping none: 200 distinct states are available.
_COUNTRY_CODES = itertools.cycle([code for code, _ in countries])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"clerk{n}")
    is_staff = True
    is_superuser = True
    password = factory.django.Password("pw")


def staff_with(*codenames):
    """A staff user who is not a superuser, with exactly these permissions."""
    from django.contrib.auth.models import Permission

    user = UserFactory(is_superuser=False, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def reading(*model_names):
    """The permissions to view records of these models and read their history
    ("Can view historical …"), as every role that may view a model has them."""
    return [
        codename
        for name in model_names
        for codename in (f"view_{name}", f"view_historical{name}")
    ]


def reverting(*model_names):
    """``reading`` these models, and the rights to revert their records from their
    history: change, and "Can change historical …"."""
    return reading(*model_names) + [
        codename
        for name in model_names
        for codename in (f"change_{name}", f"change_historical{name}")
    ]


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    kind = PartyKind.STATE
    country = factory.LazyFunction(lambda: next(_COUNTRY_CODES))
    name = ""
    in_asia = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.record_save(model_class(*args, **kwargs))


class OrganizationFactory(StateFactory):
    class Meta:
        model = Party

    kind = PartyKind.ORGANIZATION
    country = ""
    in_asia = False
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    name = factory.Sequence(lambda n: f"Organization {n}")


class StandingChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandingChange

    party = factory.SubFactory(StateFactory)
    status = Status.MEMBER
    date = datetime.date(2008, 8, 25)
    precision = Precision.DAY

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.standing_change_save(model_class(*args, **kwargs))


class ChairmanshipTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChairmanshipTerm

    party = factory.SubFactory(StateFactory)
    start = datetime.date(2010, 6, 8)
    planned_end = datetime.date(2012, 6, 8)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.chairmanship_term_save(model_class(*args, **kwargs))


def member(since=datetime.date(2002, 6, 4), **kwargs):
    """A state that is a member from ``since``."""
    state = StateFactory(**kwargs)
    StandingChangeFactory(party=state, status=Status.MEMBER, date=since)
    return state


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Body"
        django_get_or_create = ["code"]

    code = "ministerial"
    name = "Ministerial Meeting"
    meeting_name = "Ministerial Meeting"
    max_interval_years = 2


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Meeting"

    body = factory.SubFactory(BodyFactory)
    ordinal = factory.Sequence(lambda n: n + 1)
    start = factory.Sequence(lambda n: datetime.date(2000 + n % 20, 9, 12))
    status = "held"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.record_save(model_class(*args, **kwargs))


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Document"

    kind = "convention"
    title = factory.Sequence(lambda n: f"Convention {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.record_save(model_class(*args, **kwargs))
