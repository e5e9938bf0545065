"""Factories that build records through the services, as real callers do: one for
every model of the registry, meetings and finance (tests/test_factories.py checks)."""

import datetime
import itertools
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django_countries import countries

from cica_admin.core.dates import Precision
from finance import services as finance_services
from meetings import services as meetings_services
from registry import services
from registry.models import (
    ChairmanshipTerm,
    HorizonKind,
    Party,
    PartyKind,
    PointOfContact,
    Post,
    PostHolding,
    RecordHorizon,
    SeatEvent,
    SeatEventKind,
    StandingChange,
    Status,
)

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
    """A two-year term of a member state; by default each term follows the last."""

    class Meta:
        model = ChairmanshipTerm

    party = factory.LazyFunction(lambda: member())
    start = factory.Sequence(lambda n: datetime.date(2010 + 2 * n, 6, 8))
    planned_end = factory.LazyAttribute(
        lambda term: term.start.replace(year=term.start.year + 2)
    )

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


class RecordHorizonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecordHorizon

    kind = factory.Iterator(HorizonKind.values)
    date = datetime.date(2014, 5, 21)
    source = "Kazakhstan MFA, page on CICA"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.record_save(model_class(*args, **kwargs))


class SeatEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeatEvent

    kind = SeatEventKind.OPENED
    city = factory.Sequence(lambda n: f"City {n}")
    country = "KZ"
    date = datetime.date(2006, 6, 17)
    precision = Precision.DAY

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.record_save(model_class(*args, **kwargs))


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    title = factory.Sequence(lambda n: f"Deputy Executive Director {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.record_save(model_class(*args, **kwargs))


class PostHoldingFactory(factory.django.DjangoModelFactory):
    """A national of a member state holding a post since 2010, to this day."""

    class Meta:
        model = PostHolding

    post = factory.SubFactory(PostFactory)
    holder_name = factory.Sequence(lambda n: f"Holder {n}")
    nationality = factory.SubFactory(StateFactory)
    start = datetime.date(2010, 1, 1)
    start_precision = Precision.DAY

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.record_save(model_class(*args, **kwargs))


class PointOfContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PointOfContact

    party = factory.SubFactory(StateFactory)
    subject = "Small arms (UN PoA)"
    name = factory.Sequence(lambda n: f"Contact {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.record_save(model_class(*args, **kwargs))


class MeetingChairFactory(factory.django.DjangoModelFactory):
    """A chair must be a member on the meeting's first day: by default, a state that
    became one that day."""

    class Meta:
        model = "meetings.MeetingChair"

    meeting = factory.SubFactory(MeetingFactory)
    party = factory.LazyAttribute(lambda chair: member(since=chair.meeting.start))
    role = "chair"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.record_save(model_class(*args, **kwargs))


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Delegation"

    meeting = factory.SubFactory(MeetingFactory)
    party = factory.SubFactory(StateFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.record_save(model_class(*args, **kwargs))


class ReportedFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.ReportedFigure"

    meeting = factory.SubFactory(MeetingFactory)
    group = "member_states"
    count = 19
    wording = factory.LazyAttribute(lambda figure: f"{figure.count} Member States")
    source = "Declaration of the meeting"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.record_save(model_class(*args, **kwargs))


class DocumentActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.DocumentAction"

    document = factory.SubFactory(DocumentFactory)
    party = factory.SubFactory(StateFactory)
    action = "signature"
    date = datetime.date(2002, 6, 4)
    precision = Precision.DAY

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.record_save(model_class(*args, **kwargs))


class DecisionFactory(factory.django.DjangoModelFactory):
    """A decision taken at a meeting. ``DecisionFactory(kind="admission",
    parties=[state])`` also records the change of standing it causes, as
    ``decision_save`` does."""

    class Meta:
        model = "meetings.Decision"

    kind = "other"
    procedure = "meeting"
    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Decision {n}")

    @classmethod
    def _create(cls, model_class, *args, parties=(), **kwargs):
        return meetings_services.decision_save(
            model_class(*args, **kwargs), parties=parties
        )


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "finance.Pledge"

    party = factory.SubFactory(StateFactory)
    amount = Decimal("1000.00")
    currency = "USD"
    year = 2014
    date = datetime.date(2014, 1, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return finance_services.pledge_save(model_class(*args, **kwargs))


class ContributionFactory(factory.django.DjangoModelFactory):
    """A contribution in cash; given a ``pledge``, from its party in its currency."""

    class Meta:
        model = "finance.Contribution"

    pledge = None
    party = factory.Maybe(
        "pledge",
        yes_declaration=factory.SelfAttribute("pledge.party"),
        no_declaration=factory.SubFactory(StateFactory),
    )
    amount = Decimal("1000.00")
    currency = factory.Maybe(
        "pledge",
        yes_declaration=factory.SelfAttribute("pledge.currency"),
        no_declaration="USD",
    )
    received = datetime.date(2014, 3, 1)
    reference = factory.Sequence(lambda n: f"R{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return finance_services.contribution_save(model_class(*args, **kwargs))


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    """A rate of KZT to the reporting currency, each one a day after the last."""

    class Meta:
        model = "finance.ExchangeRate"

    currency = "KZT"
    date = factory.Sequence(
        lambda n: datetime.date(2014, 1, 1) + datetime.timedelta(days=n)
    )
    rate = Decimal("0.0050000000")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return finance_services.exchange_rate_save(model_class(*args, **kwargs))
