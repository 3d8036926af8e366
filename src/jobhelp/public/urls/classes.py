from django.urls import path

from jobhelp.public.views import classes

app_name = "classes"
urlpatterns = [
    path("classes/", classes.classes, name="list"),
    path("classes/calendar.ics", classes.classes_ics, name="ics"),
    path("classes/<int:pk>/", classes.class_session, name="session"),
    path("classes/registration/<str:token>/", classes.registration, name="registration"),
    path(
        "classes/registration/<str:token>/accept/",
        classes.registration_accept,
        name="registration_accept",
    ),
    path(
        "classes/registration/<str:token>/leave/",
        classes.registration_leave,
        name="registration_leave",
    ),
    path(
        "classes/registration/<str:token>/calendar.ics",
        classes.registration_calendar,
        name="registration_ics",
    ),
    path("classes/<slug:organization>/calendar.ics", classes.classes_org_ics, name="org_ics"),
]
