from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "jobhelp.staff"
    label = "staff"
    verbose_name = "Staff pages"
