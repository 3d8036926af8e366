from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "jobhelp.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        # Each app declares its periodic jobs in its `periodic.py` (see core.periodic).
        autodiscover_modules("periodic")
