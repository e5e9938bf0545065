from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Registry of parties")
    #: Its sheets in the whole-database workbook, each after the ones it names.
    spreadsheet_resources = [
        "resources.PartyResource",
        "resources.PostResource",
        "resources.PostHoldingResource",
        "resources.PointOfContactResource",
        "resources.SeatEventResource",
        "resources.StandingChangeResource",
        "resources.ChairmanshipTermResource",
        "resources.RecordHorizonResource",
    ]
