from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from jobhelp.api.urls import api
from jobhelp.public.views.home import health

urlpatterns = [
    # The API first: its calls come by the thousand, and URLs are tried in order.
    path("api/v1/", api.urls),
    path("api/hsds/", include("jobhelp.api.hsds.urls")),
    path("", include("jobhelp.public.urls")),
    path("health/", health, name="health"),
    path("staff/", include("jobhelp.staff.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # One way in: the staff login page, with its address limit and second factor.
    path("admin/login/", RedirectView.as_view(pattern_name="staff:login", query_string=True)),
    path("admin/", admin.site.urls),
]

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME

handler400 = "jobhelp.public.errors.bad_request"
handler403 = "jobhelp.public.errors.permission_denied"
handler404 = "jobhelp.public.errors.page_not_found"
handler500 = "jobhelp.public.errors.server_error"
