from django.apps import AppConfig


class FinanceConfig(AppConfig):
    verbose_name = "Finance"
    name = "finance"
