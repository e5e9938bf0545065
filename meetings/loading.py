"""Loads the meetings part of the CICA record (``meetings.cica_record``)."""

from functools import partial

from registry.loading import REASON, Loader
from registry.models import ChairmanshipTerm, Party, StandingChange

from . import cica_record as record
from . import services
from .models import (
    Body,
    Decision,
    Delegation,
    Document,
    DocumentAction,
    Meeting,
    MeetingChair,
    MeetingStatus,
    ReportedFigure,
)


class MeetingsLoader(Loader):
    def load(self):
        bodies = {
            code: self.upsert(
                Body,
                {"code": code},
                {
                    "name": name,
                    "meeting_name": meeting_name,
                    "max_interval_years": years,
                    "cadence_rule": rule,
                    "rank": rank,
                    "source": source,
                    **record.BODY_RECORD.get(code, {}),
                },
            )
            for code, name, meeting_name, years, rule, rank, source in record.BODIES
        }
        meetings = {}
        for key, fact in record.MEETINGS.items():
            fact = dict(fact)
            # Found by ordinal (or title) rather than date, so a corrected date is kept.
            body = bodies[fact.pop("body")]
            if fact["ordinal"]:
                lookup = {"body": body, "ordinal": fact.pop("ordinal")}
            else:
                lookup = {"body": body, "title": fact.pop("title")}
            fact.setdefault("status", MeetingStatus.HELD)
            meetings[key] = self.upsert(Meeting, lookup, fact)
        party = Party.objects.get_by_natural_key
        for key, code, role, person in record.CHAIRS:
            if meetings[key] is None:
                continue
            self.upsert(
                MeetingChair,
                {"meeting": meetings[key], "party": party(code)},
                {"role": role, "person": person, "source": record.MFA},
            )
        for key, code, level, title, note in record.DELEGATIONS:
            if meetings[key] is None:
                continue
            self.upsert(
                Delegation,
                {"meeting": meetings[key], "party": party(code)},
                {
                    "level": level,
                    "head_title": title,
                    "note": note,
                    "source": meetings[key].source,
                },
            )
        for key, group, count, wording in record.FIGURES:
            if meetings[key] is None:
                continue
            self.upsert(
                ReportedFigure,
                {"meeting": meetings[key], "wording": wording},
                {"group": group, "count": count, "source": meetings[key].source},
            )
        self.documents(meetings)
        self.decisions(meetings)

    def documents(self, meetings):
        documents = {}
        party = Party.objects.get_by_natural_key
        for key, fact in record.DOCUMENTS.items():
            fact = dict(fact)
            lookup = {"kind": fact.pop("kind"), "title": fact.pop("title")}
            meeting = fact.pop("meeting")
            amends = fact.pop("amends", None)
            counterpart = fact.pop("counterpart", None)
            values = {
                **fact,
                "adopted_at": meetings[meeting] if meeting else None,
                "amends": documents[amends] if amends else None,
                "counterpart": party(counterpart) if counterpart else None,
            }
            documents[key] = self.upsert(Document, lookup, values)
        for key, code, action, date, precision in record.ACTIONS:
            self.upsert(
                DocumentAction,
                {"document": documents[key], "party": party(code), "action": action},
                {"date": date, "precision": precision, "source": record.MFA},
                save=services.document_action_save,
            )

    def decisions(self, meetings):
        party = Party.objects.get_by_natural_key
        for (
            kind,
            procedure,
            meeting,
            date,
            precision,
            text,
            changes,
            terms,
            source,
        ) in record.DECISIONS:
            caused = [
                StandingChange.objects.filter(party=party(code), status=status)
                .order_by("date")
                .first()
                for code, status in changes
            ]
            decision = self.upsert(
                Decision,
                {
                    "kind": kind,
                    "procedure": procedure,
                    "meeting": meetings[meeting] if meeting else None,
                },
                {"date": date, "precision": precision, "text": text, "source": source},
                save=partial(self.save_decision, caused=caused),
            )
            if decision is None:
                continue
            self.link(decision, decision.standing_changes, caused)
            self.link(
                decision,
                decision.chairmanship_terms,
                [
                    ChairmanshipTerm.objects.filter(
                        party=party(code), extends__isnull=not extension
                    )
                    .order_by("start")
                    .first()
                    for code, extension in terms
                ],
            )

    @staticmethod
    def save_decision(decision, *, caused, actor, reason):
        """A new decision is saved with the changes of standing it caused, which the
        rules ask of a new admission; an existing one keeps its links, and ``link``
        adds those it lacks."""
        found = [change for change in caused if change is not None]
        return services.decision_save(
            decision,
            standing_changes=found if decision.pk is None else None,
            actor=actor,
            reason=reason,
        )

    def link(self, decision, manager, targets):
        """Add the links that are missing; adding none writes no history."""
        if None in targets:
            self.stdout.write(
                f"  not linked: “{decision}” — a record it points at is not in the "
                "registry (see above)."
            )
        existing = set(manager.values_list("pk", flat=True))
        missing = [t for t in targets if t is not None and t.pk not in existing]
        if missing:
            # The many-to-many history row is written for the manager's instance.
            if self.actor is not None:
                manager.instance._history_user = self.actor
            manager.instance._change_reason = REASON
            manager.add(*missing)
