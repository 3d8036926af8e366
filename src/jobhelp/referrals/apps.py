from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "jobhelp.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self):
        # A referral is a record of the MOU's "methods for referring individuals" at work: an
        # obligation of kind "referrals" may point at one as its evidence (partnerships.md).
        from jobhelp.partnerships import evidence
        from jobhelp.referrals.models import Referral
        from jobhelp.referrals.queries import referrals_for_user

        evidence.register(Referral, code="referral", visible_to=referrals_for_user)
