from django.apps import AppConfig


class FinanceConfig(AppConfig):
    verbose_name = "Finance"
    name = "finance"
    #: Its sheets in the whole-database workbook, each after the ones it names.
    spreadsheet_resources = [
        "resources.PledgeResource",
        "resources.ContributionResource",
        "resources.ExchangeRateResource",
    ]
