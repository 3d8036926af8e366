from django.urls import path

from jobhelp.public.views.survey import survey

app_name = "survey"
urlpatterns = [
    path("survey/<str:token>/", survey, name="form"),
]
