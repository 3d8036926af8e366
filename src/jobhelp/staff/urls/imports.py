from django.urls import path

from jobhelp.staff.views import imports

app_name = "imports"
urlpatterns = [
    path("imports/<int:pk>/", imports.progress, name="progress"),
]
