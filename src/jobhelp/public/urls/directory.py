from django.urls import path

from jobhelp.public.views import directory

app_name = "directory"
urlpatterns = [
    path("directory/", directory.search, name="search"),
    path("directory/<uuid:service_id>/", directory.service, name="service"),
    path("computers/", directory.computers, name="computers"),
    path(
        "computers/<uuid:location_id>/kiosk/<str:token>/",
        directory.kiosk,
        name="kiosk",
    ),
]
