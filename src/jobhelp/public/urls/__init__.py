"""The patrons' pages: the home page and the privacy notice, and one URL module per area, each
with its own namespace ({% url 'public:classes:session' pk %}). Each area's module spells out
its whole paths, so that grepping for a path finds it."""

from django.urls import include, path

from jobhelp.public.views.home import home, privacy

app_name = "public"
urlpatterns = [
    path("", home, name="home"),
    path("privacy/", privacy, name="privacy"),
    path("", include("jobhelp.public.urls.help")),
    path("", include("jobhelp.public.urls.survey")),
    path("", include("jobhelp.public.urls.appointments")),
    path("", include("jobhelp.public.urls.classes")),
    path("", include("jobhelp.public.urls.referrals")),
    path("", include("jobhelp.public.urls.directory")),
]
