from django.urls import path

import jobhelp.public.class_views as class_views
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
    path("classes/", class_views.classes, name="classes"),
    path("classes/calendar.ics", class_views.classes_ics, name="classes_ics"),
    path("classes/<int:pk>/", class_views.class_session, name="class_session"),
    path("classes/registration/<str:token>/", class_views.registration, name="registration"),
    path(
        "classes/registration/<str:token>/accept/",
        class_views.registration_accept,
        name="registration_accept",
    ),
    path(
        "classes/registration/<str:token>/leave/",
        class_views.registration_leave,
        name="registration_leave",
    ),
    path(
        "classes/registration/<str:token>/calendar.ics",
        class_views.registration_calendar,
        name="registration_ics",
    ),
    path(
        "classes/<slug:organization>/calendar.ics",
        class_views.classes_org_ics,
        name="classes_org_ics",
    ),
]
