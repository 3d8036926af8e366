from django.contrib.auth import views as auth_views
from django.urls import path

from jobhelp.staff import appointment_views, calendar_views, routing_views, triage_views, views

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
]
