from django.contrib.auth import views as auth_views
from django.urls import path

from jobhelp.staff import appointment_views, calendar_views, routing_views, triage_views, views
from jobhelp.staff.casework_views import (
    feedback,
    feedback_testimonial,
    follow_up_done,
    follow_ups,
    session_follow_up,
    session_new,
    session_outcomes,
    session_phone_feedback,
)
from jobhelp.staff.class_views import (
    class_attendance_csv,
    class_edit,
    class_flyer,
    class_list,
    class_new,
    class_registration_cancel,
    class_registration_promote,
    class_schedule,
    class_session,
    class_session_attendance,
    class_session_cancel,
    class_session_change,
    class_session_register,
    class_session_sign_in,
)
from jobhelp.staff.report_views import reports, reports_csv, reports_print

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="staff/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<str:reference>/", views.request_detail, name="request_detail"),
    path("requests/<str:reference>/assign/", triage_views.assign, name="request_assign"),
    path("requests/<str:reference>/claim/", triage_views.claim, name="request_claim"),
    path("requests/<str:reference>/contact/", triage_views.contact, name="request_contact"),
    path("requests/<str:reference>/resolve/", triage_views.resolve, name="request_resolve"),
    path("requests/<str:reference>/close/", triage_views.close, name="request_close"),
    path("requests/<str:reference>/reopen/", triage_views.reopen, name="request_reopen"),
    path("requests/<str:reference>/book/", appointment_views.book, name="request_book"),
    path("requests/<str:reference>/offer/", appointment_views.offer, name="request_offer"),
    path("requests/<str:reference>/sessions/new/", session_new, name="session_new"),
    path("sessions/<int:pk>/outcomes/", session_outcomes, name="session_outcomes"),
    path("sessions/<int:pk>/follow-up/", session_follow_up, name="session_follow_up"),
    path(
        "sessions/<int:pk>/phone-feedback/", session_phone_feedback, name="session_phone_feedback"
    ),
    path("follow-ups/", follow_ups, name="follow_ups"),
    path("follow-ups/<int:pk>/done/", follow_up_done, name="follow_up_done"),
    path("feedback/", feedback, name="feedback"),
    path("feedback/<int:pk>/testimonial/", feedback_testimonial, name="feedback_testimonial"),
    path(
        "appointments/<int:pk>/reschedule/",
        appointment_views.reschedule,
        name="appointment_reschedule",
    ),
    path("appointments/<int:pk>/cancel/", appointment_views.cancel, name="appointment_cancel"),
    path(
        "appointments/<int:pk>/attended/", appointment_views.attended, name="appointment_attended"
    ),
    path("appointments/<int:pk>/no-show/", appointment_views.no_show, name="appointment_no_show"),
    path("calendar/", calendar_views.calendar, name="calendar"),
    path("calendar/feed/", calendar_views.feed, name="calendar_feed"),
    path("calendar/feed/revoke/", calendar_views.feed_revoke, name="calendar_feed_revoke"),
    path("calendar/feed/<str:token>.ics", calendar_views.feed_ics, name="calendar_feed_ics"),
    path("queue/", triage_views.queue, name="queue"),
    path("mine/", triage_views.mine, name="mine"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("routing/", routing_views.routing_list, name="routing"),
    path("routing/new/", routing_views.routing_new, name="routing_new"),
    path("routing/<int:pk>/edit/", routing_views.routing_edit, name="routing_edit"),
    path("routing/<int:pk>/delete/", routing_views.routing_delete, name="routing_delete"),
    path("routing/<int:pk>/move/", routing_views.routing_move, name="routing_move"),
    path("reports/", reports, name="reports"),
    path("reports/print/", reports_print, name="reports_print"),
    path("reports/csv/<slug:table>/", reports_csv, name="reports_csv"),
    path("classes/", class_list, name="classes"),
    path("classes/new/", class_new, name="class_new"),
    path("classes/attendance.csv", class_attendance_csv, name="class_attendance_csv"),
    path("classes/<int:pk>/edit/", class_edit, name="class_edit"),
    path("classes/<int:pk>/flyer/", class_flyer, name="class_flyer"),
    path("classes/<int:pk>/schedule/", class_schedule, name="class_schedule"),
    path("classes/sessions/<int:pk>/", class_session, name="class_session"),
    path(
        "classes/sessions/<int:pk>/register/",
        class_session_register,
        name="class_session_register",
    ),
    path("classes/sessions/<int:pk>/change/", class_session_change, name="class_session_change"),
    path("classes/sessions/<int:pk>/cancel/", class_session_cancel, name="class_session_cancel"),
    path(
        "classes/sessions/<int:pk>/attendance/",
        class_session_attendance,
        name="class_session_attendance",
    ),
    path("classes/sessions/<int:pk>/sign-in/", class_session_sign_in, name="class_session_sign_in"),
    path(
        "classes/sessions/<int:pk>/registrations/<int:registration_pk>/cancel/",
        class_registration_cancel,
        name="class_registration_cancel",
    ),
    path(
        "classes/sessions/<int:pk>/registrations/<int:registration_pk>/promote/",
        class_registration_promote,
        name="class_registration_promote",
    ),
]
