from django.urls import path

from jobhelp.staff.views import calendar

app_name = "calendar"
urlpatterns = [
    path("calendar/", calendar.calendar, name="index"),
    path("calendar/feed/", calendar.feed, name="feed"),
    path("calendar/feed/revoke/", calendar.feed_revoke, name="feed_revoke"),
    path("calendar/feed/<str:token>.ics", calendar.feed_ics, name="feed_ics"),
]
