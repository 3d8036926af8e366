"""The staff pages, under /staff/: the home page, logging in and out, and one URL module per
area, each with its own namespace ({% url 'staff:triage:queue' %}). Each area's module spells
out its whole paths, so that grepping for a path finds it."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from jobhelp.staff.views.account import LoginView
from jobhelp.staff.views.home import home

app_name = "staff"
urlpatterns = [
    path("", home, name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("jobhelp.staff.urls.requests")),
    path("", include("jobhelp.staff.urls.triage")),
    path("", include("jobhelp.staff.urls.appointments")),
    path("", include("jobhelp.staff.urls.casework")),
    path("", include("jobhelp.staff.urls.calendar")),
    path("", include("jobhelp.staff.urls.tokens")),
    path("", include("jobhelp.staff.urls.routing")),
    path("", include("jobhelp.staff.urls.reports")),
    path("", include("jobhelp.staff.urls.classes")),
    path("", include("jobhelp.staff.urls.partnerships")),
    path("", include("jobhelp.staff.urls.referrals")),
    path("", include("jobhelp.staff.urls.materials")),
    path("", include("jobhelp.staff.urls.privacy")),
    path("", include("jobhelp.staff.urls.directory")),
    path("", include("jobhelp.staff.urls.crosstraining")),
    path("", include("jobhelp.staff.urls.imports")),
    path("", include("jobhelp.staff.urls.account")),
]
