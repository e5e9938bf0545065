"""The vocabularies of finance, shared by the models and their rules."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Earmark(models.TextChoices):
    GENERAL = "general", _("general budget")
    MEETING = "meeting", _("a meeting")
    PROJECT = "project", _("a project")


class ContributionKind(models.TextChoices):
    CASH = "cash", _("cash")
    IN_KIND = "in_kind", _("in kind")
