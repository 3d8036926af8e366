from django.urls import path

from jobhelp.staff.views import reports

app_name = "reports"
urlpatterns = [
    path("reports/", reports.reports, name="index"),
    path("reports/print/", reports.reports_print, name="print"),
    path("reports/csv/<slug:table>/", reports.reports_csv, name="csv"),
]
