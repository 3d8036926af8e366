from django.urls import path

from jobhelp.staff.views.requests import request_detail, request_list, request_new

app_name = "requests"
urlpatterns = [
    path("requests/", request_list, name="list"),
    path("requests/new/", request_new, name="new"),
    path("requests/<str:reference>/", request_detail, name="detail"),
]
