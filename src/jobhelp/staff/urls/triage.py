from django.urls import path

from jobhelp.staff.views import triage

app_name = "triage"
urlpatterns = [
    path("queue/", triage.queue, name="queue"),
    path("mine/", triage.mine, name="mine"),
    path("requests/<str:reference>/assign/", triage.assign, name="assign"),
    path("requests/<str:reference>/claim/", triage.claim, name="claim"),
    path("requests/<str:reference>/contact/", triage.contact, name="contact"),
    path("requests/<str:reference>/resolve/", triage.resolve, name="resolve"),
    path("requests/<str:reference>/close/", triage.close, name="close"),
    path("requests/<str:reference>/reopen/", triage.reopen, name="reopen"),
]
