from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    verbose_name = "Meetings"
    name = "meetings"
