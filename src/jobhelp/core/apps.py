from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "jobhelp.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from django.db.models import fields

        from jobhelp.core.i18n import EMPTY_CHOICE

        # Each app declares its periodic jobs in its `periodic.py` (see core.periodic).
        autodiscover_modules("periodic")
        # Each app that keeps personal data declares what and how in its `privacy.py`
        # (see core.privacy).
        autodiscover_modules("privacy")
        # The empty choice of every list (forms, the admin) in the reader's language: Django's
        # own "- Select an option -" has no Spanish. Django's documented place to change it.
        fields.BLANK_CHOICE_LABEL = EMPTY_CHOICE
