from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jobhelp.api"
    label = "api"
    verbose_name = "API"
