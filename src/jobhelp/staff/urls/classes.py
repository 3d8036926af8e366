from django.urls import path

from jobhelp.staff.views.classes import attendance, edit, flyer, roster, schedule, sessions
from jobhelp.staff.views.classes.list import class_list

app_name = "classes"
urlpatterns = [
    path("classes/", class_list, name="list"),
    path("classes/new/", edit.class_new, name="new"),
    path("classes/attendance.csv", attendance.class_attendance_csv, name="attendance_csv"),
    path("classes/<int:pk>/edit/", edit.class_edit, name="edit"),
    path("classes/<int:pk>/flyer/", flyer.class_flyer, name="flyer"),
    path("classes/<int:pk>/schedule/", schedule.class_schedule, name="schedule"),
    path("classes/sessions/<int:pk>/", sessions.class_session, name="session"),
    path(
        "classes/sessions/<int:pk>/register/",
        roster.class_session_register,
        name="session_register",
    ),
    path("classes/sessions/<int:pk>/change/", sessions.class_session_change, name="session_change"),
    path("classes/sessions/<int:pk>/cancel/", sessions.class_session_cancel, name="session_cancel"),
    path(
        "classes/sessions/<int:pk>/attendance/",
        attendance.class_session_attendance,
        name="session_attendance",
    ),
    path(
        "classes/sessions/<int:pk>/sign-in/",
        attendance.class_session_sign_in,
        name="session_sign_in",
    ),
    path(
        "classes/sessions/<int:pk>/registrations/<int:registration_pk>/cancel/",
        roster.class_registration_cancel,
        name="registration_cancel",
    ),
    path(
        "classes/sessions/<int:pk>/registrations/<int:registration_pk>/promote/",
        roster.class_registration_promote,
        name="registration_promote",
    ),
]
