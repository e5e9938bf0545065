from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    verbose_name = "Meetings"
    name = "meetings"
    #: Its sheets in the whole-database workbook, each after the ones it names.
    spreadsheet_resources = [
        "resources.BodyResource",
        "resources.MeetingResource",
        "resources.MeetingChairResource",
        "resources.DelegationResource",
        "resources.ReportedFigureResource",
        "resources.DocumentResource",
        "resources.DocumentActionResource",
        "resources.DecisionResource",
    ]
