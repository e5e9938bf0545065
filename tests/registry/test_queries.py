import datetime

import pytest

from cica_admin.core.dates import Precision, format_partial, known_by
from registry import selectors
from registry.models import Party, StandingChange, Status
from tests.factories import StandingChangeFactory, StateFactory, member

pytestmark = pytest.mark.django_db

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2008, 8, 24), Status.OBSERVER),  # the day before
        (D(2008, 8, 25), Status.MEMBER),  # the day of
        (D(2008, 8, 26), Status.MEMBER),  # the day after
    ],
)
def test_status_on_a_day_around_a_dated_change(day, expected):
    state = StateFactory(country="JO")
    StandingChangeFactory(party=state, status=Status.OBSERVER, date=D(2004, 1, 1))
    StandingChangeFactory(party=state, status=Status.MEMBER, date=D(2008, 8, 25))
    assert state.status_on(day) == expected
    assert Party.objects.with_status_on(day).get(pk=state.pk).status == expected


@pytest.mark.parametrize(
    ("day", "expected", "uncertain"),
    [
        (D(2005, 12, 31), Status.NONE, False),
        (D(2006, 1, 1), Status.NONE, True),  # may have joined already: not counted
        (D(2006, 12, 30), Status.NONE, True),
        (D(2006, 12, 31), Status.MEMBER, False),  # by the end of 2006, certainly
        (D(2007, 1, 1), Status.MEMBER, False),
    ],
)
def test_a_year_precision_change_counts_once_the_year_is_over(day, expected, uncertain):
    korea = StateFactory(country="KR")
    StandingChangeFactory(
        party=korea, status=Status.MEMBER, date=D(2006, 1, 1), precision=Precision.YEAR
    )
    assert korea.status_on(day) == expected
    assert StandingChange.objects.uncertain_on(day).filter(party=korea).exists() == (
        uncertain
    )


def test_an_on_or_before_change_is_uncertain_at_any_earlier_date():
    state = member(D(2002, 6, 4), country="KZ")
    change = state.standing_changes.get()
    change.precision = Precision.BEFORE
    change.save()
    assert (
        StandingChange.objects.uncertain_on(D(1999, 9, 14))
        .filter(pk=change.pk)
        .exists()
    )
    assert not StandingChange.objects.uncertain_on(D(2002, 6, 4)).exists()


@pytest.mark.parametrize(
    ("value", "precision", "known", "shown"),
    [
        (D(2008, 3, 1), Precision.MONTH, D(2008, 3, 31), "March 2008"),
        (D(2012, 2, 1), Precision.MONTH, D(2012, 2, 29), "February 2012"),
        (D(2004, 1, 1), Precision.YEAR, D(2004, 12, 31), "2004"),
        (D(2002, 6, 4), Precision.BEFORE, D(2002, 6, 4), "on or before 4 Jun 2002"),
        (D(2008, 8, 25), Precision.DAY, D(2008, 8, 25), "25 Aug 2008"),
        (None, Precision.UNKNOWN, None, "date not known"),
    ],
)
def test_partial_dates_are_known_by_the_end_of_their_period(
    value, precision, known, shown
):
    assert known_by(value, precision) == known
    assert format_partial(value, precision) == shown


def test_the_roster_gives_members_and_observers_with_since_dates():
    kazakhstan = member(D(2002, 6, 4), country="KZ")
    thailand = member(D(2004, 10, 21), country="TH")
    ukraine = StateFactory(country="UA", in_asia=False)
    StandingChangeFactory(party=ukraine, status=Status.OBSERVER, date=D(2010, 1, 1))
    roster = selectors.roster_on(D(2010, 1, 1))
    assert [(e.party, e.since, e.founding) for e in roster.members] == [
        (kazakhstan, D(2002, 6, 4), True),
        (thailand, D(2004, 10, 21), False),
    ]
    assert [(e.party, e.since) for e in roster.observers] == [(ukraine, D(2010, 1, 1))]


def test_the_roster_costs_the_same_queries_for_any_number_of_parties(
    django_assert_max_num_queries,
):
    for _ in range(30):
        member(D(2002, 6, 4))
    # Founding members, parties, uncertain changes, the chair, the horizon.
    with django_assert_max_num_queries(5):
        roster = selectors.roster_on(D(2010, 1, 1))
        [entry.as_dict() for entry in roster.members]
    assert len(roster.members) == 30


def test_founding_members_are_the_members_on_the_launch_day():
    founding = member(D(2002, 6, 4), country="KZ")
    member(D(2002, 6, 5), country="TH")
    assert list(Party.objects.founding()) == [founding]
    assert selectors.is_founding_member(founding)


def test_changes_between_two_dates_include_those_that_may_fall_inside():
    jordan = member(D(2008, 8, 25), country="JO")
    korea = StateFactory(country="KR")
    StandingChangeFactory(
        party=korea, status=Status.MEMBER, date=D(2006, 1, 1), precision=Precision.YEAR
    )
    member(D(2014, 5, 20), country="BD")
    found = list(selectors.changes_between(D(2006, 6, 1), D(2008, 8, 25)))
    assert [c.party for c in found] == [korea, jordan]
    assert list(selectors.changes_between(D(2008, 8, 26), D(2014, 5, 19))) == []


def test_a_party_without_changes_has_no_standing():
    state = StateFactory(country="JP")
    annotated = Party.objects.with_current_status().get(pk=state.pk)
    assert (annotated.status, annotated.since) == (Status.NONE, None)


def test_an_undated_attestation_shows_as_current_status_but_not_on_past_dates():
    japan = StateFactory(country="JP")
    StandingChangeFactory(
        party=japan, status=Status.OBSERVER, date=None, precision=Precision.UNKNOWN
    )
    assert (
        Party.objects.with_current_status().get(pk=japan.pk).status == Status.OBSERVER
    )
    assert japan.status_on(D(2014, 6, 1)) == Status.NONE
    assert [c.party for c in selectors.roster_on(D(2014, 6, 1)).uncertain] == [japan]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2008, 2, 29), Status.NONE),  # the day before the month
        (D(2008, 3, 1), Status.NONE),  # inside the month: not yet certain
        (D(2008, 3, 30), Status.NONE),
        (D(2008, 3, 31), Status.MEMBER),  # the month is over
        (D(2008, 4, 1), Status.MEMBER),
    ],
)
def test_a_month_precision_change_counts_once_the_month_is_over(day, expected):
    state = StateFactory(country="JO")
    StandingChangeFactory(
        party=state, status=Status.MEMBER, date=D(2008, 3, 1), precision=Precision.MONTH
    )
    assert state.status_on(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2002, 6, 3), Status.NONE),
        (D(2002, 6, 4), Status.MEMBER),
        (D(2002, 6, 5), Status.MEMBER),
    ],
)
def test_an_on_or_before_change_counts_from_its_bound(day, expected):
    state = StateFactory(country="KZ")
    StandingChangeFactory(
        party=state,
        status=Status.MEMBER,
        date=D(2002, 6, 4),
        precision=Precision.BEFORE,
    )
    assert state.status_on(day) == expected


def test_a_year_and_a_day_in_that_year_are_ordered_by_the_date_entered():
    """'Observer 2008' then 'member 25 Aug 2008' is a legal timeline."""
    state = StateFactory(country="QA")
    StandingChangeFactory(
        party=state,
        status=Status.OBSERVER,
        date=D(2008, 1, 1),
        precision=Precision.YEAR,
    )
    StandingChangeFactory(party=state, status=Status.MEMBER, date=D(2008, 8, 25))
    assert state.status_on(D(2008, 9, 1)) == Status.MEMBER
    assert state.status_on(D(2009, 1, 1)) == Status.MEMBER


def test_known_from_is_derived_on_every_save():
    change = StandingChangeFactory(date=D(2008, 8, 25))
    change.date, change.precision = D(2008, 1, 1), Precision.YEAR
    change.save()
    change.refresh_from_db()
    assert change.known_from == D(2008, 12, 31)


def test_a_suspended_member_stays_on_the_roster_marked_suspended():
    """A suspended member is still a member: counted, listed and marked."""
    kazakhstan = member(D(2002, 6, 4), country="KZ")
    thailand = member(D(2004, 10, 21), country="TH")
    StandingChangeFactory(party=thailand, status=Status.SUSPENDED, date=D(2009, 3, 1))
    roster = selectors.roster_on(D(2010, 1, 1))
    assert [(e.party, e.suspended, e.since) for e in roster.members] == [
        (kazakhstan, False, D(2002, 6, 4)),
        (thailand, True, D(2009, 3, 1)),
    ]
    assert roster.members[1].as_dict()["suspended"] is True
    assert set(Party.objects.members_on(D(2010, 1, 1))) == {kazakhstan, thailand}
    # The day before the suspension it is a member like any other.
    assert not selectors.roster_on(D(2009, 2, 28)).members[1].suspended


def test_the_roster_command_lists_a_suspended_member_as_suspended():
    import io

    from django.core.management import call_command

    thailand = member(D(2004, 10, 21), country="TH")
    StandingChangeFactory(party=thailand, status=Status.SUSPENDED, date=D(2009, 3, 1))
    out = io.StringIO()
    call_command("roster", "--on", "2010-01-01", stdout=out)
    members = out.getvalue().split("Members (1)")[1].split("Observers")[0]
    [line] = [line for line in members.splitlines() if "Thailand" in line]
    assert "suspended since" in line
    out = io.StringIO()
    call_command("roster", "--on", "2010-01-01", "--format", "csv", stdout=out)
    assert "suspended,THA,Thailand,2009-03-01" in out.getvalue()
