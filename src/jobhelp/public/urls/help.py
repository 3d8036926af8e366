from django.urls import path

from jobhelp.public.views.help import help_form, help_received

app_name = "help"
urlpatterns = [
    path("help/", help_form, name="form"),
    path("help/received/", help_received, name="received"),
    path("help/<slug:slug>/", help_form, name="form_for"),
]
