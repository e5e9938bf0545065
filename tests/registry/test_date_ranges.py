"""A date known only to lie in a range of days ("at the Fourth Summit, 20-21 May
2014"): stored, validated and asked about without claiming the day."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cica_admin.core.dates import (
    FIRST_DAY_REQUIRED,
    LATEST_AFTER_DATE,
    LATEST_ONLY_FOR_RANGE,
    LATEST_REQUIRED,
    Precision,
    format_partial,
    known_by,
    on_partial,
)
from registry import selectors, services
from registry.models import ChairmanshipTerm, StandingChange, Status
from tests.factories import StateFactory

pytestmark = pytest.mark.django_db

D = datetime.date
FIRST, LAST = D(2014, 5, 20), D(2014, 5, 21)


def codes(entries):
    return {entry.party.code for entry in entries}


def test_a_range_is_known_by_its_last_day_and_written_as_one_of_its_days():
    assert known_by(FIRST, Precision.RANGE, LAST) == LAST
    assert format_partial(FIRST, Precision.RANGE, LAST) == "one of 20–21 May 2014"
    assert on_partial(FIRST, Precision.RANGE, LAST) == "on one of 20–21 May 2014"
    assert (
        format_partial(D(2014, 4, 30), Precision.RANGE, LAST)
        == "one of 30 Apr – 21 May 2014"
    )


@pytest.mark.parametrize(
    ("precision", "latest", "message"),
    [
        (Precision.RANGE, None, LATEST_REQUIRED),
        (Precision.RANGE, FIRST, LATEST_AFTER_DATE),
        (Precision.DAY, LAST, LATEST_ONLY_FOR_RANGE),
    ],
)
def test_a_latest_day_goes_with_a_range_only(precision, latest, message):
    change = StandingChange(
        party=StateFactory(),
        status=Status.MEMBER,
        date=FIRST,
        precision=precision,
        date_latest=latest,
    )
    with pytest.raises(ValidationError) as exc:
        services.standing_change_save(change)
    assert exc.value.message_dict["date_latest"] == [message]
    assert not StandingChange.objects.exists()


def test_a_latest_day_without_its_first_day_is_refused():
    # An actual end is optional; a latest possible end without it would be stored
    # and never shown.
    china = StateFactory(country="CN")
    services.standing_change_record(
        party=china, status=Status.MEMBER, date=D(2002, 6, 4)
    )
    with pytest.raises(ValidationError) as exc:
        services.chairmanship_term_create(
            party=china,
            start=FIRST,
            actual_end=None,
            actual_end_precision=Precision.RANGE,
            actual_end_latest=LAST,
        )
    assert exc.value.message_dict["actual_end_latest"] == [FIRST_DAY_REQUIRED]
    assert not ChairmanshipTerm.objects.exists()


def test_the_database_refuses_a_range_without_its_latest_day():
    party = StateFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        StandingChange.objects.create(
            party=party, status=Status.MEMBER, date=FIRST, precision=Precision.RANGE
        )


def test_a_precision_without_a_latest_field_does_not_offer_the_range():
    field = ChairmanshipTerm._meta.get_field("planned_end_precision")
    assert Precision.RANGE not in dict(field.choices)
    assert Precision.RANGE in dict(StandingChange._meta.get_field("precision").choices)


@pytest.mark.parametrize(
    ("day", "member", "uncertain"),
    [
        (D(2014, 5, 19), False, False),
        (FIRST, False, True),
        (LAST, True, False),
        (D(2014, 5, 22), True, False),
    ],
)
def test_a_member_from_one_of_two_days_is_uncertain_on_the_first(
    day, member, uncertain
):
    party = StateFactory(country="BD", name="Bangladesh")
    services.standing_change_record(
        party=party,
        status=Status.MEMBER,
        date=FIRST,
        precision=Precision.RANGE,
        date_latest=LAST,
    )
    roster = selectors.roster_on(day)
    assert ("BGD" in codes(roster.members)) is member
    assert (party in {change.party for change in roster.uncertain}) is uncertain


def test_an_observer_becoming_a_member_on_one_of_two_days_is_neither_on_the_first():
    party = StateFactory(country="QA", name="Qatar")
    services.standing_change_record(
        party=party, status=Status.OBSERVER, date=D(2008, 8, 25)
    )
    services.standing_change_record(
        party=party,
        status=Status.MEMBER,
        date=FIRST,
        precision=Precision.RANGE,
        date_latest=LAST,
    )
    roster = selectors.roster_on(FIRST)
    assert "QAT" not in codes(roster.members) | codes(roster.observers)
    assert [change.status for change in roster.uncertain] == [Status.MEMBER]
    assert "QAT" in codes(selectors.roster_on(D(2014, 5, 19)).observers)
    assert "QAT" in codes(selectors.roster_on(D(2014, 5, 22)).members)
    assert roster.as_dict()["uncertain"][0]["date_latest"] == "2014-05-21"


def test_a_hand_over_on_one_of_two_days_leaves_the_first_day_uncertain():
    turkey = StateFactory(country="TR", name="Turkey")
    china = StateFactory(country="CN", name="China")
    for state in (turkey, china):
        services.standing_change_record(
            party=state, status=Status.MEMBER, date=D(2002, 6, 4)
        )
    services.chairmanship_term_create(
        party=turkey,
        start=D(2012, 1, 1),
        start_precision=Precision.YEAR,
        actual_end=FIRST,
        actual_end_precision=Precision.RANGE,
        actual_end_latest=LAST,
    )
    services.chairmanship_term_create(
        party=china, start=FIRST, start_precision=Precision.RANGE, start_latest=LAST
    )
    assert selectors.chair_on(D(2014, 5, 19)) == turkey
    assert selectors.chair_on(FIRST) is None
    assert selectors.roster_on(FIRST).chair_ending.party == turkey
    assert selectors.chair_on(LAST) == china
    assert selectors.chairmanship_gaps(today=D(2014, 6, 1)) == []
