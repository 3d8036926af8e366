from django.urls import path

from jobhelp.staff.views import appointments

app_name = "appointments"
urlpatterns = [
    path("requests/<str:reference>/book/", appointments.book, name="book"),
    path("requests/<str:reference>/offer/", appointments.offer, name="offer"),
    path("appointments/<int:pk>/reschedule/", appointments.reschedule, name="reschedule"),
    path("appointments/<int:pk>/cancel/", appointments.cancel, name="cancel"),
    path("appointments/<int:pk>/attended/", appointments.attended, name="attended"),
    path("appointments/<int:pk>/no-show/", appointments.no_show, name="no_show"),
]
