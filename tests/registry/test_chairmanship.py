import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from cica_admin.core.dates import Precision
from registry import rules, selectors, services
from registry.models import ChairmanshipTerm
from tests.factories import ChairmanshipTermFactory, member

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def turkey():
    return member(D(2002, 6, 4), country="TR")


@pytest.fixture
def china():
    return member(D(2002, 6, 4), country="CN")


def test_overlapping_terms_are_refused_by_validation(turkey, china):
    ChairmanshipTermFactory(
        party=turkey, start=D(2010, 6, 8), planned_end=D(2014, 5, 20)
    )
    with pytest.raises(ValidationError) as exc:
        ChairmanshipTermFactory(
            party=china, start=D(2014, 5, 19), planned_end=D(2016, 1, 1)
        )
    assert exc.value.message_dict["start"] == [
        rules.CHAIR_TERMS_OVERLAP
        % {"other": turkey, "start": "8 Jun 2010", "end": "20 May 2014"}
    ]
    assert ChairmanshipTerm.objects.count() == 1


def test_a_term_may_start_on_the_day_the_previous_one_ends(turkey, china):
    ChairmanshipTermFactory(
        party=turkey, start=D(2010, 6, 8), actual_end=D(2014, 5, 20)
    )
    ChairmanshipTermFactory(
        party=china, start=D(2014, 5, 20), planned_end=D(2016, 1, 1)
    )
    assert selectors.chair_on(D(2014, 5, 19)) == turkey
    assert selectors.chair_on(D(2014, 5, 20)) == china


def test_an_open_term_overlaps_every_later_term(turkey, china):
    ChairmanshipTermFactory(party=turkey, start=D(2010, 6, 8), planned_end=None)
    with pytest.raises(ValidationError) as exc:
        ChairmanshipTermFactory(party=china, start=D(2030, 1, 1), planned_end=None)
    assert exc.value.message_dict["start"] == [
        rules.CHAIR_TERMS_OVERLAP % {"other": turkey, "start": "8 Jun 2010", "end": "…"}
    ]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's"
)
def test_overlapping_terms_are_refused_by_the_database_on_postgresql(turkey, china):
    ChairmanshipTerm.objects.create(party=turkey, start=D(2010, 6, 8))
    with pytest.raises(IntegrityError), transaction.atomic():
        ChairmanshipTerm.objects.create(
            party=china, start=D(2014, 5, 20), planned_end=D(2016, 1, 1)
        )


def test_the_chair_must_be_a_member_on_the_start_date(turkey):
    thailand = member(D(2004, 10, 21), country="TH")
    with pytest.raises(ValidationError) as exc:
        ChairmanshipTermFactory(party=thailand, start=D(2004, 1, 1), planned_end=None)
    assert exc.value.message_dict["party"] == [
        rules.CHAIR_NOT_MEMBER % {"party": thailand, "on": "on 1 Jan 2004"}
    ]


def test_the_end_must_follow_the_start(turkey):
    with pytest.raises(ValidationError) as exc:
        ChairmanshipTermFactory(
            party=turkey, start=D(2012, 1, 1), planned_end=D(2010, 1, 1)
        )
    assert exc.value.message_dict["planned_end"] == [rules.END_BEFORE_START]


def test_an_extension_continues_the_same_states_term(turkey, china):
    first = ChairmanshipTermFactory(
        party=turkey,
        start=D(2010, 6, 8),
        planned_end=D(2012, 1, 1),
        planned_end_precision=Precision.YEAR,
    )
    with pytest.raises(ValidationError) as exc:
        ChairmanshipTermFactory(
            party=china, start=D(2012, 1, 1), planned_end=None, extends=first
        )
    assert exc.value.message_dict["extends"] == [rules.EXTENSION_OF_OTHER_STATE]
    extension = ChairmanshipTermFactory(
        party=turkey, start=D(2012, 1, 1), planned_end=D(2014, 1, 1), extends=first
    )
    assert list(first.extensions.all()) == [extension]
    assert selectors.chair_on(D(2013, 1, 1)) == turkey


def test_gaps_between_terms_are_reported_not_refused(turkey, china):
    services.chairmanship_term_create(
        party=turkey, start=D(2010, 6, 8), actual_end=D(2012, 1, 1)
    )
    services.chairmanship_term_create(party=china, start=D(2014, 5, 20))
    assert selectors.chairmanship_gaps() == [
        selectors.Gap(D(2012, 1, 1), D(2014, 5, 20))
    ]
    assert selectors.chair_on(D(2013, 1, 1)) is None


def test_the_chair_cannot_lose_membership_during_its_term(china):
    term = ChairmanshipTermFactory(
        party=china, start=D(2014, 5, 20), planned_end=D(2016, 1, 1)
    )
    message = rules.CHAIR_MUST_STAY_MEMBER % {"party": china, "period": term.period}
    with pytest.raises(ValidationError) as exc:
        services.standing_change_record(
            party=china, status="withdrawn", date=D(2015, 1, 1)
        )
    assert exc.value.message_dict["status"] == [message]
    admission = china.standing_changes.get()
    assert services.standing_deletion_errors(admission) == [message]
    # After the term, the chair may withdraw like any member.
    services.standing_change_record(party=china, status="withdrawn", date=D(2016, 1, 1))


@pytest.mark.parametrize("field", ["planned_end", "actual_end"])
def test_an_end_before_the_start_is_refused_by_the_database(turkey, field):
    with pytest.raises(IntegrityError), transaction.atomic():
        ChairmanshipTerm.objects.create(
            party=turkey, start=D(2012, 1, 1), **{field: D(2010, 1, 1)}
        )


def test_a_term_ending_in_a_year_is_uncertain_in_that_year_not_absent():
    """A term "2024 - 2026" ends on a day of 2026 the record does not give: on
    1 December 2026 the chair is uncertain, not "none recorded"; in 2027 it is
    over."""
    term = ChairmanshipTermFactory(
        party=member(),
        start=datetime.date(2024, 1, 1),
        start_precision=Precision.YEAR,
        planned_end=datetime.date(2026, 1, 1),
        planned_end_precision=Precision.YEAR,
    )
    december = datetime.date(2026, 12, 1)
    assert selectors.chair_on(december) is None
    assert selectors.chair_term_ending_on(december) == term
    assert selectors.roster_on(december).chair_ending == term
    assert selectors.chair_term_ending_on(datetime.date(2027, 1, 2)) is None
    in_office = selectors.roster_on(datetime.date(2025, 6, 1))
    assert (in_office.chair, in_office.chair_ending) == (term.party, None)
