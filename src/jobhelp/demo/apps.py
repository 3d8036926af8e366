from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "jobhelp.demo"
    label = "demo"
    verbose_name = "Demo county"
