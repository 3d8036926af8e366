from django.urls import path

from jobhelp.public import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_form, name="help"),
    path("help/received/", views.help_received, name="help_received"),
    path("help/<slug:slug>/", views.help_form, name="help_for"),
    path("privacy/", views.privacy, name="privacy"),
]
