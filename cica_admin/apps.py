from django.apps import AppConfig


class CicaAdminConfig(AppConfig):
    name = "cica_admin"
    verbose_name = "CICA Secretariat"
