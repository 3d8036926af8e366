"""jobhelp's URLs plus /bench/empty/, a view that does nothing: the baseline an endpoint's
request rate is compared with, through the same middleware on the same server."""

from django.http import HttpResponse
from django.urls import path

from jobhelp import urls as jobhelp_urls


def empty(request):
    return HttpResponse("")


urlpatterns = [path("bench/empty/", empty), *jobhelp_urls.urlpatterns]

handler400 = jobhelp_urls.handler400
handler403 = jobhelp_urls.handler403
handler404 = jobhelp_urls.handler404
handler500 = jobhelp_urls.handler500
