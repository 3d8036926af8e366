from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "jobhelp.public"
    label = "public"
    verbose_name = "Public pages"
