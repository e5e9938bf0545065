"""Loading the CICA record: create what is missing, report what differs, write no
history for what is unchanged. Each app loads its own facts; ``load_cica`` runs them."""

from django.core.exceptions import ValidationError
from django.db import transaction

from cica_admin.core.dates import Precision
from registry import cica_record as record
from registry import services
from registry.models import (
    ChairmanshipTerm,
    Party,
    PartyKind,
    PointOfContact,
    Post,
    PostHolding,
    RecordHorizon,
    SeatEvent,
    StandingChange,
)

REASON = "load_cica: the CICA record from the seeds"


def _comparable(value):
    return getattr(value, "code", value)  # a django-countries Country compares by code


class Loader:
    """Creates each record of the CICA record that is missing.

    A record that exists and differs from the seeds is reported and left as the clerks
    keep it, unless ``update`` is set. Nothing unchanged is saved, so a second run
    writes no history. Subclasses implement ``load()``.
    """

    def __init__(self, *, actor, update, stdout, counts=None):
        self.actor = actor
        self.update = update
        self.stdout = stdout
        self.counts = counts if counts is not None else {}
        for key in ("created", "updated", "unchanged", "differs", "refused"):
            self.counts.setdefault(key, 0)

    def upsert(self, model, lookup, values, save=services.record_save):
        """Create the record found by ``lookup`` unless it exists; return it (or None).

        ``lookup`` should name what a clerk would not correct (a party and a status,
        not a date), so that a corrected record is found and kept, not re-created.
        A record the rules refuse beside the clerks' records is reported, not loaded.
        """
        instance = model.objects.filter(**lookup).first()
        if instance is None:
            try:
                with transaction.atomic():
                    save(model(**lookup, **values), actor=self.actor, reason=REASON)
            except ValidationError as error:
                self.counts["refused"] += 1
                self.stdout.write(
                    f"  not loaded: {model._meta.verbose_name} {lookup}: "
                    + " ".join(error.messages)
                )
                return None
            self.counts["created"] += 1
            return model.objects.get(**lookup)
        differing = {
            name: value
            for name, value in values.items()
            if _comparable(getattr(instance, name)) != _comparable(value)
        }
        if not differing:
            self.counts["unchanged"] += 1
        elif self.update:
            for name, value in differing.items():
                setattr(instance, name, value)
            save(instance, actor=self.actor, reason=REASON)
            self.counts["updated"] += 1
        else:
            self.counts["differs"] += 1
            self.stdout.write(
                f"  kept as recorded: {model._meta.verbose_name} “{instance}” differs "
                f"from the seeds in {', '.join(sorted(differing))}"
            )
        return instance


class RegistryLoader(Loader):
    """The registry facts of ``registry.cica_record``."""

    def load(self):
        self.parties()
        self.standing()
        self.chairmanship()
        self.secretariat()
        self.horizons()

    def parties(self):
        states = [
            *((alpha2, name, True) for alpha2, name in record.FOUNDING_MEMBERS),
            *((alpha2, name, True) for alpha2, name in record.LATER_MEMBERS),
            *record.OBSERVER_STATES,
        ]
        for alpha2, name, in_asia in states:
            named_by_poa = alpha2 in record.NAMED_BY_POA
            self.upsert(
                Party,
                {"kind": PartyKind.STATE, "country": alpha2},
                {
                    "name": name,
                    "in_asia": in_asia,
                    "source": record.BOTH if named_by_poa else record.MFA,
                    "note": record.CONTRIBUTOR_NOTES.get(alpha2, ""),
                },
            )
        for acronym, name, source in record.ORGANIZATIONS:
            self.upsert(
                Party,
                {"kind": PartyKind.ORGANIZATION, "acronym": acronym},
                {"name": name, "source": source},
            )

    def standing(self):
        for code, status, date, precision, basis, source, *latest in record.STANDING:
            party = Party.objects.get_by_natural_key(code)
            # No party in the seeds takes the same status twice: (party, status) finds
            # the change even after a clerk has made its date more precise.
            self.upsert(
                StandingChange,
                {"party": party, "status": status},
                {
                    "date": date,
                    "precision": precision,
                    "date_latest": latest[0] if latest else None,
                    "basis": basis,
                    "source": source,
                },
                save=services.standing_change_save,
            )

    def chairmanship(self):
        terms = {}
        for fact in record.CHAIRMANSHIP:
            fact = dict(fact)
            key = fact.pop("key")
            party = Party.objects.get_by_natural_key(fact.pop("party"))
            extends = fact.pop("extends", None)
            values = {**fact, "source": record.MFA}
            # A state's terms in the seeds differ by what they extend, not by a date a
            # clerk might correct.
            if extends and terms.get(extends) is None:
                terms[key] = None  # the term it extends was not loaded: reported above
                continue
            lookup = {"party": party, "extends": terms.get(extends)}
            terms[key] = self.upsert(
                ChairmanshipTerm, lookup, values, save=services.chairmanship_term_save
            )

    def secretariat(self):
        for fact in record.SEAT_EVENTS:
            fact = dict(fact)
            lookup = {k: fact.pop(k) for k in ("kind", "city", "date")}
            self.upsert(SeatEvent, lookup, fact)
        posts = {
            title: self.upsert(Post, {"title": title}, {"rank": rank})
            for title, rank in record.POSTS
        }
        for title, holder, code in record.POST_HOLDINGS:
            self.upsert(
                PostHolding,
                {
                    "post": posts[title],
                    "holder_name": holder,
                    "nationality": Party.objects.get_by_natural_key(code),
                },
                {
                    "seconded": True,
                    "start": None,
                    "start_precision": Precision.UNKNOWN,
                    "end": None,
                    "end_precision": Precision.UNKNOWN,
                    "source": record.BOTH,
                    "note": record.SECONDED_NOTE,
                },
            )
        for fact in record.POINTS_OF_CONTACT:
            fact = dict(fact)
            lookup = {k: fact.pop(k) for k in ("subject", "name")}
            self.upsert(PointOfContact, lookup, fact)

    def horizons(self):
        for kind, date, source, note in record.HORIZONS:
            self.upsert(
                RecordHorizon,
                {"kind": kind},
                {"date": date, "source": source, "note": note},
            )
