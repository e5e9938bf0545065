import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cica_admin.core.dates import Precision
from cica_admin.core.services import record_save
from meetings import rules, services
from meetings.models import (
    ActionKind,
    Category,
    ChairRole,
    DecisionKind,
    Delegation,
    Document,
    DocumentAction,
    Meeting,
    MeetingChair,
    Procedure,
)
from registry.models import StandingChange, Status
from tests.factories import (
    BodyFactory,
    DocumentFactory,
    MeetingFactory,
    StandingChangeFactory,
    StateFactory,
    member,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def test_a_meeting_cannot_end_before_it_starts():
    meeting = MeetingFactory.build(
        body=BodyFactory(), start=D(2014, 5, 21), end=D(2014, 5, 20)
    )
    with pytest.raises(ValidationError) as exc:
        record_save(meeting)
    assert exc.value.message_dict == {"end": [rules.END_BEFORE_START]}
    assert not Meeting.objects.exists()


def test_a_meeting_ending_before_it_starts_is_refused_by_the_database():
    meeting = MeetingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(end=D(1990, 1, 1))


def test_two_delegations_of_one_party_at_one_meeting_are_refused():
    meeting = MeetingFactory()
    state = member(country="KZ")
    record_save(Delegation(meeting=meeting, party=state))
    with pytest.raises(ValidationError) as exc:
        record_save(Delegation(meeting=meeting, party=state))
    assert exc.value.messages == [rules.ONE_DELEGATION_PER_PARTY]
    assert Delegation.objects.count() == 1


def test_a_chair_who_is_not_a_member_on_the_meeting_date_is_refused():
    meeting = MeetingFactory(start=D(2012, 9, 12))
    japan = StateFactory(country="JP")
    StandingChangeFactory(party=japan, status=Status.OBSERVER, date=D(2010, 1, 1))
    with pytest.raises(ValidationError) as exc:
        record_save(MeetingChair(meeting=meeting, party=japan, role=ChairRole.CHAIR))
    assert exc.value.message_dict["party"] == [
        rules.CHAIR_NOT_MEMBER % {"party": japan, "on": "on 12 Sep 2012"}
    ]
    assert not MeetingChair.objects.exists()
    turkey = member(country="TR")
    record_save(MeetingChair(meeting=meeting, party=turkey, role=ChairRole.CO_CHAIR))


@pytest.mark.parametrize(
    ("meeting_day", "category"),
    [
        (D(2008, 8, 24), Category.GUEST),
        (D(2008, 8, 25), Category.OBSERVER),  # observer from the Third Ministerial
        (D(2014, 5, 19), Category.OBSERVER),
        (D(2014, 5, 20), Category.MEMBER),  # member from the Fourth Summit
    ],
)
def test_the_category_comes_from_the_standing_on_the_meeting_date(
    meeting_day, category
):
    qatar = StateFactory(country="QA")
    StandingChangeFactory(party=qatar, status=Status.OBSERVER, date=D(2008, 8, 25))
    StandingChangeFactory(party=qatar, status=Status.MEMBER, date=D(2014, 5, 20))
    delegation = record_save(
        Delegation(meeting=MeetingFactory(start=meeting_day), party=qatar)
    )
    assert Delegation.objects.with_category().get(pk=delegation.pk).category == category
    assert Delegation.objects.get(pk=delegation.pk).category_on_meeting_date == category


def test_a_ratification_before_the_signature_is_refused():
    document = DocumentFactory()
    state = member(country="KZ")
    services.document_action_save(
        DocumentAction(
            document=document,
            party=state,
            action=ActionKind.SIGNATURE,
            date=D(2010, 6, 8),
        )
    )
    with pytest.raises(ValidationError) as exc:
        services.document_action_save(
            DocumentAction(
                document=document,
                party=state,
                action=ActionKind.RATIFICATION,
                date=D(2009, 1, 1),
                precision=Precision.YEAR,
            )
        )
    assert exc.value.message_dict["date"] == [
        rules.RATIFIED_BEFORE_SIGNED
        % {"party": state, "on": "in 2009", "signed_on": "on 8 Jun 2010"}
    ]
    # A ratification in the month of the signature may follow it: accepted.
    services.document_action_save(
        DocumentAction(
            document=document,
            party=state,
            action=ActionKind.RATIFICATION,
            date=D(2010, 6, 1),
            precision=Precision.MONTH,
        )
    )


def test_a_signature_after_the_ratification_is_refused():
    document = DocumentFactory()
    state = member(country="KZ")
    services.document_action_save(
        DocumentAction(
            document=document,
            party=state,
            action=ActionKind.RATIFICATION,
            date=D(2011, 11, 1),
            precision=Precision.MONTH,
        )
    )
    with pytest.raises(ValidationError) as exc:
        services.document_action_save(
            DocumentAction(
                document=document,
                party=state,
                action=ActionKind.SIGNATURE,
                date=D(2012, 1, 1),
            )
        )
    assert exc.value.message_dict["date"] == [
        rules.SIGNED_AFTER_RATIFIED
        % {"party": state, "on": "in November 2011", "signed_on": "on 1 Jan 2012"}
    ]


def test_a_document_cannot_amend_itself():
    document = DocumentFactory()
    document.amends = document
    with pytest.raises(ValidationError) as exc:
        record_save(document)
    assert exc.value.message_dict["amends"] == [rules.AMENDS_ITSELF]


def test_a_cycle_of_amendments_is_refused():
    statute = DocumentFactory(title="Statute")
    protocol = DocumentFactory(title="Protocol", amends=statute)
    second = DocumentFactory(title="Second protocol", amends=protocol)
    statute.amends = second
    with pytest.raises(ValidationError) as exc:
        record_save(statute)
    assert exc.value.message_dict["amends"] == [
        rules.AMENDMENT_CYCLE
        % {"chain": "Statute → Second protocol → Protocol → Statute"}
    ]
    assert Document.objects.get(pk=statute.pk).amends is None


def test_an_admission_decision_creates_exactly_one_standing_change():
    meeting = MeetingFactory(start=D(2008, 8, 25))
    jordan = StateFactory(country="JO")
    decision = services.decision_record_standing(
        kind=DecisionKind.ADMISSION,
        party=jordan,
        meeting=meeting,
        text="Jordan is granted full member status.",
    )
    change = StandingChange.objects.get(party=jordan)
    assert (change.status, change.date) == (Status.MEMBER, D(2008, 8, 25))
    assert list(decision.standing_changes.all()) == [change]


def test_an_admission_at_a_meeting_of_two_days_is_dated_one_of_them():
    # 000: Qatar and Bangladesh joined at the Fourth Summit, 20-21 May 2014, without
    # saying on which day: the change must not claim the first.
    meeting = MeetingFactory(start=D(2014, 5, 20), end=D(2014, 5, 21))
    bangladesh = StateFactory(country="BD")
    services.decision_record_standing(
        kind=DecisionKind.ADMISSION,
        party=bangladesh,
        meeting=meeting,
        text="Bangladesh joins CICA as a full member.",
    )
    change = StandingChange.objects.get(party=bangladesh)
    assert (change.date, change.precision, change.date_latest) == (
        D(2014, 5, 20),
        Precision.RANGE,
        D(2014, 5, 21),
    )
    assert bangladesh.status_on(D(2014, 5, 20)) == Status.NONE
    assert bangladesh.status_on(D(2014, 5, 21)) == Status.MEMBER


def test_a_refused_admission_leaves_no_decision_behind():
    meeting = MeetingFactory(start=D(2012, 9, 12))
    kazakhstan = member(D(2002, 6, 4), country="KZ")
    with pytest.raises(ValidationError):
        services.decision_record_standing(
            kind=DecisionKind.ADMISSION,
            party=kazakhstan,
            meeting=meeting,
            text="Kazakhstan is admitted.",
        )
    assert not meeting.decisions.exists()
    assert kazakhstan.standing_changes.count() == 1


def test_a_decision_saved_after_its_change_rolls_back_with_it(monkeypatch):
    """If saving the decision fails, the standing change goes too: one transaction."""
    meeting = MeetingFactory(start=D(2008, 8, 25))
    jordan = StateFactory(country="JO")

    def fail(*args, **kwargs):
        raise ValidationError("decision refused")

    monkeypatch.setattr(services, "record_save", fail)
    with pytest.raises(ValidationError):
        services.decision_record_standing(
            kind=DecisionKind.ADMISSION, party=jordan, meeting=meeting, text="Admitted."
        )
    assert not StandingChange.objects.filter(party=jordan).exists()


def test_a_silence_procedure_needs_its_deadline_and_no_meeting():
    from meetings.models import Decision

    decision = Decision(
        kind=DecisionKind.CHAIRMANSHIP, procedure=Procedure.SILENCE, text="China"
    )
    with pytest.raises(ValidationError) as exc:
        record_save(decision)
    assert exc.value.message_dict["date"] == [rules.SILENCE_NEEDS_DEADLINE]
    decision.date, decision.meeting = D(2012, 10, 1), MeetingFactory()
    with pytest.raises(ValidationError) as exc:
        record_save(decision)
    assert exc.value.message_dict["meeting"] == [rules.SILENCE_HAS_NO_MEETING]


def test_only_an_admission_or_observer_decision_changes_a_standing():
    from meetings.models import Decision

    china = member(country="CN")
    decision = Decision(
        kind=DecisionKind.CHAIRMANSHIP, procedure=Procedure.OTHER, text="China chairs"
    )
    with pytest.raises(ValidationError) as exc:
        services.decision_save(decision, parties=[china])
    assert exc.value.message_dict["parties"] == [rules.PARTY_ONLY_FOR_STANDING]
    assert china.standing_changes.count() == 1


def test_the_counterpart_of_a_memorandum_is_an_organization():
    document = DocumentFactory.build(
        kind="memorandum", counterpart=member(country="CN")
    )
    with pytest.raises(ValidationError) as exc:
        record_save(document)
    assert exc.value.message_dict["counterpart"] == [rules.COUNTERPART_NOT_ORGANIZATION]


def test_a_signature_known_only_by_a_bound_does_not_refuse_a_ratification():
    document = DocumentFactory()
    state = member(country="KZ")
    services.document_action_save(
        DocumentAction(
            document=document,
            party=state,
            action=ActionKind.SIGNATURE,
            date=D(2010, 6, 8),
            precision=Precision.BEFORE,
        )
    )
    services.document_action_save(
        DocumentAction(
            document=document,
            party=state,
            action=ActionKind.RATIFICATION,
            date=D(2009, 1, 1),
            precision=Precision.YEAR,
        )
    )
    assert document.actions.count() == 2


def test_a_cycle_through_amends_and_supersedes_is_refused():
    old = DocumentFactory(title="Old rules")
    new = DocumentFactory(title="New rules", supersedes=old)
    old.amends = new
    with pytest.raises(ValidationError) as exc:
        record_save(old)
    assert exc.value.message_dict["amends"] == [
        rules.AMENDMENT_CYCLE % {"chain": "Old rules → New rules → Old rules"}
    ]


def test_a_meeting_in_the_future_cannot_have_been_held():
    from meetings.models import MeetingStatus

    meeting = MeetingFactory.build(
        body=BodyFactory(), start=D(2099, 1, 1), status=MeetingStatus.HELD
    )
    with pytest.raises(ValidationError) as exc:
        record_save(meeting)
    assert exc.value.message_dict["status"] == [rules.HELD_IN_FUTURE]
    meeting.status = MeetingStatus.PLANNED
    record_save(meeting)


def test_prefill_adds_exactly_the_roster_of_the_meeting_date():
    meeting = MeetingFactory(start=D(2008, 8, 25))
    kazakhstan = member(D(2002, 6, 4), country="KZ")
    jordan = member(D(2008, 8, 25), country="JO")
    bangladesh = member(D(2014, 5, 20), country="BD")  # not yet a member
    qatar = StateFactory(country="QA")
    StandingChangeFactory(party=qatar, status=Status.OBSERVER, date=D(2008, 8, 25))
    StateFactory(country="JP")  # no standing
    record_save(Delegation(meeting=meeting, party=kazakhstan, head_name="Kept as is"))

    added = services.delegations_prefill(meeting=meeting)

    assert {d.party for d in added} == {jordan, qatar}
    assert {d.party for d in meeting.delegations.all()} == {kazakhstan, jordan, qatar}
    assert meeting.delegations.get(party=kazakhstan).head_name == "Kept as is"
    assert bangladesh not in {d.party for d in meeting.delegations.all()}
    assert all(
        d.history.count() == 1 for d in meeting.delegations.exclude(party=kazakhstan)
    )


def test_prefill_refuses_a_meeting_dated_only_to_its_year():
    meeting = MeetingFactory(start=D(2008, 1, 1), start_precision=Precision.YEAR)
    member(country="KZ")
    with pytest.raises(ValidationError) as exc:
        services.delegations_prefill(meeting=meeting)
    assert exc.value.messages == [rules.PREFILL_NEEDS_DAY % {"when": "2008"}]
    assert not meeting.delegations.exists()


def test_an_undated_observer_admitted_later_is_no_longer_uncertain():
    from registry import selectors

    japan = StateFactory(country="JP")
    StandingChangeFactory(
        party=japan, status=Status.OBSERVER, date=None, precision=Precision.UNKNOWN
    )
    StandingChangeFactory(party=japan, status=Status.MEMBER, date=D(2013, 4, 10))
    roster = selectors.roster_on(D(2014, 1, 1))
    assert [e.party for e in roster.members] == [japan]
    assert roster.uncertain == []
    assert [c.party for c in selectors.roster_on(D(2012, 1, 1)).uncertain] == [japan]


@pytest.mark.parametrize(
    ("number", "word"),
    [(1, "First"), (15, "Fifteenth"), (16, "16th"), (21, "21st"), (102, "102nd")],
)
def test_meetings_are_numbered_in_english(number, word):
    from meetings.models import ordinal_word

    assert ordinal_word(number) == word
