from django.urls import path

from jobhelp.staff.views import casework

app_name = "casework"
urlpatterns = [
    path("requests/<str:reference>/sessions/new/", casework.session_new, name="session_new"),
    path("sessions/<int:pk>/outcomes/", casework.session_outcomes, name="session_outcomes"),
    path("sessions/<int:pk>/follow-up/", casework.session_follow_up, name="session_follow_up"),
    path(
        "sessions/<int:pk>/phone-feedback/",
        casework.session_phone_feedback,
        name="session_phone_feedback",
    ),
    path("follow-ups/", casework.follow_ups, name="follow_ups"),
    path("follow-ups/<int:pk>/done/", casework.follow_up_done, name="follow_up_done"),
    path("feedback/", casework.feedback, name="feedback"),
    path(
        "feedback/<int:pk>/testimonial/",
        casework.feedback_testimonial,
        name="feedback_testimonial",
    ),
]
