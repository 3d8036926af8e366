from django.urls import path

from jobhelp.public import appointment_views, survey_views, views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_form, name="help"),
    path("help/received/", views.help_received, name="help_received"),
    path("help/<slug:slug>/", views.help_form, name="help_for"),
    path("privacy/", views.privacy, name="privacy"),
    path("survey/<str:token>/", survey_views.survey, name="survey"),
    path("appointments/", appointment_views.lookup, name="appointment_lookup"),
    path("appointments/<str:token>/", appointment_views.appointment, name="appointment"),
    path("appointments/<str:token>/cancel/", appointment_views.cancel, name="appointment_cancel"),
    path(
        "appointments/<str:token>/reschedule/",
        appointment_views.reschedule,
        name="appointment_reschedule",
    ),
    path("appointments/<str:token>/book/", appointment_views.book, name="appointment_book"),
]
