from django.urls import path

from jobhelp.public.views import appointments

app_name = "appointments"
urlpatterns = [
    path("appointments/", appointments.lookup, name="lookup"),
    path("appointments/<str:token>/", appointments.appointment, name="detail"),
    path("appointments/<str:token>/cancel/", appointments.cancel, name="cancel"),
    path("appointments/<str:token>/reschedule/", appointments.reschedule, name="reschedule"),
    path("appointments/<str:token>/book/", appointments.book, name="book"),
]
