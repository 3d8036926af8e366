"""The HSDS 3.0 API's paths (Open Referral), under /api/hsds/."""

from django.urls import path

from jobhelp.api.hsds import views

app_name = "hsds"
urlpatterns = [
    path("", views.meta, name="meta"),
    path("services", views.services, name="services"),
    path("services/<str:service_id>", views.service, name="service"),
    path("organizations", views.organizations, name="organizations"),
    path("organizations/<str:organization_id>", views.organization, name="organization"),
    path("service_at_locations", views.service_at_locations, name="service_at_locations"),
    path("service_at_locations/<str:at_id>", views.service_at_location, name="service_at_location"),
    path("taxonomies", views.taxonomies, name="taxonomies"),
    path("taxonomies/<str:taxonomy_id>", views.taxonomy, name="taxonomy"),
    path("taxonomy_terms", views.taxonomy_terms, name="taxonomy_terms"),
    path("taxonomy_terms/<str:term_id>", views.taxonomy_term, name="taxonomy_term"),
    path("package.zip", views.package, name="package"),
]
