from django.urls import path

from jobhelp.staff.views.directory import (
    assessments,
    categories,
    computers,
    imports,
    locations,
    places,
    services,
)

app_name = "directory"
urlpatterns = [
    path("directory/", services.index, name="index"),
    path("directory/services/new/", services.new, name="new"),
    path("directory/services/<str:service_id>/", services.detail, name="detail"),
    path("directory/services/<str:service_id>/edit/", services.edit, name="edit"),
    path(
        "directory/services/<str:service_id>/staff-details/",
        services.staff_details,
        name="staff_details",
    ),
    path(
        "directory/services/<str:service_id>/hours/<int:location>/",
        services.hours,
        name="hours",
    ),
    path("directory/services/<str:service_id>/review/", services.review, name="review"),
    path("directory/computers/", computers.index, name="computers"),
    path("directory/computers/use/", computers.use, name="use"),
    path("directory/computers/<int:pk>/", computers.count, name="count"),
    path("directory/computers/<int:pk>/setup/", computers.setup, name="setup"),
    path("directory/computers/<int:pk>/kiosk/", computers.kiosk, name="kiosk"),
    path("directory/assessments/", assessments.index, name="assessments"),
    path("directory/assessments/start/<int:location>/", assessments.start, name="assessment_start"),
    path("directory/assessments/<int:pk>/", assessments.detail, name="assessment"),
    path("directory/assessments/<int:pk>/submit/", assessments.submit, name="assessment_submit"),
    path("directory/assessments/<int:pk>/approve/", assessments.approve, name="assessment_approve"),
    path(
        "directory/assessments/<int:pk>/send-back/",
        assessments.send_back,
        name="assessment_send_back",
    ),
    path("directory/locations/", locations.index, name="locations"),
    path("directory/locations/<int:pk>/", locations.detail, name="location"),
    path(
        "directory/locations/<int:pk>/exceptions/",
        locations.add_exception,
        name="exception_add",
    ),
    path(
        "directory/locations/<int:pk>/exceptions/remove/",
        locations.remove_exception,
        name="exception_remove",
    ),
    path("directory/categories/", categories.index, name="categories"),
    path("directory/categories/<int:pk>/remove/", categories.remove, name="category_remove"),
    path(
        "directory/services/<str:service_id>/categories/",
        categories.service_terms,
        name="service_terms",
    ),
    path("directory/places/", places.index, name="places"),
    path("directory/places/<int:pk>/remove/", places.remove, name="place_remove"),
    path("directory/import/", imports.upload, name="import"),
    path("directory/import/run/", imports.run, name="import_run"),
]
