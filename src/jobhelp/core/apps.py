from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jobhelp.core"
    label = "core"
    verbose_name = "Core"
