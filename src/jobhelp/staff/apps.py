from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "jobhelp.staff"
    label = "staff"
    verbose_name = "Staff pages"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from jobhelp.staff.common.middleware import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="jobhelp.staff.stamp_login")
