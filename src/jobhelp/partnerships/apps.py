from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "jobhelp.partnerships"
    label = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        # A meeting is the record that keeps a "management meeting" obligation; other apps
        # register their records (trainings, flyers, cards) the same way in their ready().
        from jobhelp.partnerships import evidence
        from jobhelp.partnerships.models import Meeting
        from jobhelp.partnerships.queries import meetings_for_user

        evidence.register(Meeting, code="meeting", visible_to=meetings_for_user)
