"""jobhelp's URLs plus two baselines, through the same middleware on the same server:
/bench/empty/, a view that does nothing, which an endpoint's request rate is compared with, and
/bench/staff-menu/, a staff page that does nothing but render the menu, which staff pages'
times are compared with."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from jobhelp import urls as jobhelp_urls
from jobhelp.staff.common.decorators import staff_member_required


def empty(request):
    return HttpResponse("")


@staff_member_required
def staff_menu(request):
    return render(request, "staff/base_staff.html")


urlpatterns = [
    path("bench/empty/", empty),
    path("bench/staff-menu/", staff_menu),
    *jobhelp_urls.urlpatterns,
]

handler400 = jobhelp_urls.handler400
handler403 = jobhelp_urls.handler403
handler404 = jobhelp_urls.handler404
handler500 = jobhelp_urls.handler500
