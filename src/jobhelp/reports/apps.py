from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "jobhelp.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # The partnership's quarterly report counts the referrals between its partners, with
        # this app's small-cell suppression (partnerships sits below both apps).
        from jobhelp.partnerships.report import register_section
        from jobhelp.reports.referrals import partnership_referrals

        register_section("referrals", partnership_referrals)
