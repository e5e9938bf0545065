from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from registry import cica_record as record
from registry import services
from registry.models import (
    ChairmanshipTerm,
    Party,
    PartyKind,
    PointOfContact,
    Post,
    PostHolding,
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
    writes no history.
    """

    def __init__(self, *, actor, update, stdout):
        self.actor = actor
        self.update = update
        self.stdout = stdout
        self.counts = {"created": 0, "updated": 0, "unchanged": 0, "differs": 0}

    def upsert(self, model, lookup, values, save=services.record_save):
        instance = model.objects.filter(**lookup).first()
        if instance is None:
            save(model(**lookup, **values), actor=self.actor, reason=REASON)
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

    def load(self):
        self.parties()
        self.standing()
        self.chairmanship()
        self.secretariat()
        return self.counts

    def parties(self):
        for alpha2, name in [*record.FOUNDING_MEMBERS, *record.LATER_MEMBERS]:
            self.upsert(
                Party,
                {"kind": PartyKind.STATE, "country": alpha2},
                {"name": name, "in_asia": True, "source": record.BOTH},
            )
        for alpha2, name, in_asia in record.OBSERVER_STATES:
            self.upsert(
                Party,
                {"kind": PartyKind.STATE, "country": alpha2},
                {"name": name, "in_asia": in_asia, "source": record.BOTH},
            )
        for acronym, name, source in record.ORGANIZATIONS:
            self.upsert(
                Party,
                {"kind": PartyKind.ORGANIZATION, "acronym": acronym},
                {"name": name, "source": source},
            )

    def standing(self):
        for code, status, date, precision, basis, source in record.STANDING:
            party = Party.objects.get_by_natural_key(code)
            lookup = {"party": party, "status": status, "date": date}
            self.upsert(
                StandingChange,
                lookup,
                {"precision": precision, "basis": basis, "source": source},
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
            values["extends"] = terms[extends] if extends else None
            start = values.pop("start")
            terms[key] = self.upsert(
                ChairmanshipTerm,
                {"party": party, "start": start},
                values,
                save=services.chairmanship_term_save,
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
                    "end": None,
                    "source": record.BOTH,
                    "note": record.SECONDED_NOTE,
                },
            )
        for fact in record.POINTS_OF_CONTACT:
            fact = dict(fact)
            lookup = {k: fact.pop(k) for k in ("subject", "name")}
            self.upsert(PointOfContact, lookup, fact)


class Command(BaseCommand):
    help = (
        "Load the CICA record stated by the seed documents: parties, their standing, "
        "chairmanship terms and the Secretariat. Safe to run again: existing records "
        "are kept as they are (see --update) and nothing unchanged is rewritten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite records that differ from the seeds (default: report them).",
        )
        parser.add_argument(
            "--user",
            help="Username recorded in the history as the author of the load.",
        )

    def handle(self, *args, update, user, **options):
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"No user named {user!r}.") from exc
        loader = Loader(actor=actor, update=update, stdout=self.stdout)
        with transaction.atomic():
            counts = loader.load()
        self.stdout.write(
            self.style.SUCCESS(
                "CICA record: {created} created, {updated} updated, "
                "{unchanged} unchanged, {differs} kept as recorded.".format(**counts)
            )
        )
