import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cica_admin.core.dates import Precision
from registry import rules, services
from registry.models import Party, PartyKind, StandingChange, Status
from tests.factories import (
    OrganizationFactory,
    StandingChangeFactory,
    StateFactory,
    member,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def record(party, status, date, precision=Precision.DAY):
    return services.standing_change_record(
        party=party, status=status, date=date, precision=precision
    )


def refusal(exc_info):
    return exc_info.value.message_dict["status"]


def test_admitting_an_asian_state_is_recorded():
    state = StateFactory(country="TH")
    record(state, Status.MEMBER, D(2004, 10, 21))
    assert state.status_on(D(2004, 10, 21)) == Status.MEMBER


def test_suspending_a_non_member_is_refused():
    state = StateFactory(country="JP")
    record(state, Status.OBSERVER, D(2010, 1, 1))
    with pytest.raises(ValidationError) as exc:
        record(state, Status.SUSPENDED, D(2011, 1, 1))
    assert refusal(exc) == [
        rules.SUSPEND_NON_MEMBER % {"party": state, "on": "on 1 Jan 2011"}
    ]
    assert state.standing_changes.count() == 1


def test_admitting_a_current_member_is_refused():
    state = member(D(2002, 6, 4), country="KZ")
    with pytest.raises(ValidationError) as exc:
        record(state, Status.MEMBER, D(2008, 8, 25))
    assert refusal(exc) == [
        rules.ALREADY_MEMBER % {"party": state, "on": "on 25 Aug 2008"}
    ]


def test_observer_status_for_a_current_member_is_refused():
    state = member(country="CN")
    with pytest.raises(ValidationError) as exc:
        record(state, Status.OBSERVER, D(2012, 9, 12))
    assert refusal(exc) == [
        rules.OBSERVER_FOR_MEMBER % {"party": state, "on": "on 12 Sep 2012"}
    ]


def test_reinstatement_is_allowed_only_from_suspension():
    state = member(country="AF")
    record(state, Status.SUSPENDED, D(2021, 1, 1))
    with pytest.raises(ValidationError) as exc:
        record(state, Status.OBSERVER, D(2022, 1, 1))
    assert refusal(exc) == [
        rules.REINSTATE_ONLY % {"party": state, "on": "on 1 Jan 2022"}
    ]
    record(state, Status.MEMBER, D(2023, 1, 1))
    assert state.status_on(D(2023, 1, 1)) == Status.MEMBER


def test_withdrawal_of_a_non_member_is_refused():
    state = StateFactory(country="MY")
    with pytest.raises(ValidationError) as exc:
        record(state, Status.WITHDRAWN, D(2015, 1, 1))
    assert refusal(exc) == [
        rules.WITHDRAW_NON_MEMBER % {"party": state, "on": "on 1 Jan 2015"}
    ]


def test_ending_observer_status_of_a_member_is_refused():
    state = member(country="IN")
    with pytest.raises(ValidationError) as exc:
        record(state, Status.NONE, D(2015, 1, 1))
    assert refusal(exc) == [
        rules.END_NON_OBSERVER % {"party": state, "on": "on 1 Jan 2015"}
    ]


def test_a_member_must_have_territory_in_asia():
    ukraine = StateFactory(country="UA", in_asia=False)
    with pytest.raises(ValidationError) as exc:
        record(ukraine, Status.MEMBER, D(2012, 1, 1))
    assert refusal(exc) == [rules.MEMBER_OUTSIDE_ASIA % {"party": ukraine}]


@pytest.mark.parametrize("code", ["UA", "US"])
def test_a_state_outside_asia_may_be_an_observer(code):
    state = StateFactory(country=code, in_asia=False)
    record(state, Status.OBSERVER, D(2012, 6, 13), Precision.BEFORE)
    assert state.status_on(D(2012, 6, 13)) == Status.OBSERVER


def test_an_organization_cannot_be_a_member():
    osce = OrganizationFactory(acronym="OSCE")
    with pytest.raises(ValidationError) as exc:
        record(osce, Status.MEMBER, D(2012, 1, 1))
    assert refusal(exc) == [rules.MEMBER_OUTSIDE_ASIA % {"party": osce}]


def test_two_changes_for_one_party_on_one_date_are_refused_by_validation():
    state = StateFactory(country="QA")
    record(state, Status.OBSERVER, D(2008, 8, 25))
    with pytest.raises(ValidationError) as exc:
        record(state, Status.MEMBER, D(2008, 8, 25))
    assert str(rules.DUPLICATE_DATE) in exc.value.messages
    assert state.standing_changes.count() == 1


def test_two_changes_for_one_party_on_one_date_are_refused_by_the_database():
    state = StateFactory(country="QA")
    StandingChange.objects.create(
        party=state,
        status=Status.OBSERVER,
        date=D(2008, 8, 25),
        known_from=D(2008, 8, 25),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        StandingChange.objects.create(
            party=state,
            status=Status.MEMBER,
            date=D(2008, 8, 25),
            known_from=D(2008, 8, 25),
        )


def test_a_change_that_would_make_a_later_change_illegal_is_refused():
    qatar = StateFactory(country="QA")
    record(qatar, Status.MEMBER, D(2014, 5, 20))
    with pytest.raises(ValidationError) as exc:
        # A member before 2014 would make the 2014 admission an admission of a member.
        record(qatar, Status.MEMBER, D(2010, 1, 1))
    assert refusal(exc) == [
        rules.BREAKS_LATER_CHANGE
        % {
            "date": "20 May 2014",
            "message": rules.ALREADY_MEMBER % {"party": qatar, "on": "on 20 May 2014"},
        }
    ]
    assert qatar.standing_changes.count() == 1


def test_inserting_a_legal_earlier_change_is_accepted():
    qatar = StateFactory(country="QA")
    record(qatar, Status.MEMBER, D(2014, 5, 20))
    record(qatar, Status.OBSERVER, D(2008, 8, 25))
    assert [c.status for c in qatar.standing_changes.all()] == [
        Status.OBSERVER,
        Status.MEMBER,
    ]


def test_deleting_a_change_that_later_changes_depend_on_is_refused():
    state = member(D(2002, 6, 4), country="AF")
    suspension = record(state, Status.SUSPENDED, D(2021, 9, 1))
    admission = state.standing_changes.get(status=Status.MEMBER)
    with pytest.raises(ValidationError):
        services.standing_change_delete(admission)
    assert StandingChange.objects.filter(pk=admission.pk).exists()
    services.standing_change_delete(suspension)
    assert not StandingChange.objects.filter(pk=suspension.pk).exists()


def test_a_member_state_cannot_be_moved_out_of_asia():
    state = member(country="TR")
    state.in_asia = False
    with pytest.raises(ValidationError) as exc:
        services.record_save(state)
    assert exc.value.message_dict["in_asia"] == [
        rules.HAS_BEEN_MEMBER % {"party": state}
    ]
    assert Party.objects.get(pk=state.pk).in_asia is True


def test_a_month_precision_date_must_be_the_first_of_the_month():
    state = StateFactory(country="KZ")
    with pytest.raises(ValidationError) as exc:
        record(state, Status.MEMBER, D(2008, 3, 15), Precision.MONTH)
    # In the format the clerk types dates in (en-GB).
    assert "01/03/2008" in exc.value.message_dict["date"][0]
    assert not state.standing_changes.exists()


def test_the_timeline_service_checks_the_result_not_each_step():
    """Two rows edited together: each is illegal against the old rows, fine together."""
    qatar = StateFactory(country="QA")
    admission = record(qatar, Status.MEMBER, D(2008, 8, 25))
    admission.status = Status.OBSERVER
    later = StandingChange(party=qatar, status=Status.MEMBER, date=D(2014, 5, 20))
    services.standing_timeline_save(party=qatar, changed=[admission, later])
    assert [c.status for c in qatar.standing_changes.all()] == [
        Status.OBSERVER,
        Status.MEMBER,
    ]


def test_the_timeline_service_saves_nothing_when_the_result_is_illegal():
    state = StateFactory(country="KZ")
    first = StandingChange(party=state, status=Status.MEMBER, date=D(2002, 6, 4))
    second = StandingChange(party=state, status=Status.OBSERVER, date=D(2004, 1, 1))
    with pytest.raises(ValidationError):
        services.standing_timeline_save(party=state, changed=[first, second])
    assert not StandingChange.objects.exists()


def test_a_party_is_either_a_state_with_a_country_or_an_organization_with_an_acronym():
    with pytest.raises(ValidationError) as exc:
        services.party_create(kind=PartyKind.ORGANIZATION, country="KZ")
    assert set(exc.value.message_dict) == {"acronym", "country"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Party.objects.create(kind=PartyKind.STATE, country="", acronym="X")


def test_standing_changes_are_created_for_factories_through_the_service():
    change = StandingChangeFactory(status=Status.OBSERVER)
    assert change.known_from == change.date


def test_only_one_undated_change_per_party():
    japan = StateFactory(country="JP")
    record(japan, Status.OBSERVER, None, Precision.UNKNOWN)
    with pytest.raises(ValidationError) as exc:
        record(japan, Status.NONE, None, Precision.UNKNOWN)
    assert str(rules.ONE_UNDATED_CHANGE) in exc.value.messages


def test_known_from_before_the_date_is_refused_by_the_database():
    state = StateFactory(country="KZ")
    with pytest.raises(IntegrityError), transaction.atomic():
        StandingChange.objects.bulk_create(
            [
                StandingChange(
                    party=state,
                    status=Status.MEMBER,
                    date=D(2008, 8, 25),
                    known_from=D(2008, 1, 1),
                )
            ]
        )


def test_a_holding_ending_before_it_starts_is_refused_both_ways():
    from registry.models import Post, PostHolding

    post = Post.objects.create(title="Executive Director")
    holding = PostHolding(post=post, start=D(2012, 1, 1), end=D(2010, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.record_save(holding)
    assert exc.value.message_dict["end"] == [rules.END_BEFORE_START]
    with pytest.raises(IntegrityError), transaction.atomic():
        PostHolding.objects.bulk_create([holding])
