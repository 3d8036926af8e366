from django.urls import path

from jobhelp.staff.views import privacy

app_name = "privacy"
urlpatterns = [
    path("privacy/", privacy.search, name="search"),
    path("privacy/export/", privacy.export, name="export"),
    path("privacy/erase/", privacy.erase, name="erase"),
]
