from django.contrib import admin

from jobhelp.core import versions
from jobhelp.core.admin import AuditedAdmin
from jobhelp.organizations.models import Location, OpeningHours, Organization


class LocationInline(admin.StackedInline):
    model = Location
    extra = 0
    fields = ["name", "city", "phone", "time_zone", "is_active"]
    show_change_link = True


class OpeningHoursInline(admin.StackedInline):
    model = OpeningHours
    extra = 0


class PlacesAdmin(AuditedAdmin):
    """Organizations, locations and opening hours: what routing, booking and the public pages
    are made of, so a change raises the staff version (core.versions)."""

    def organization_of(self, obj):
        if isinstance(obj, Organization):
            return obj
        if isinstance(obj, Location):
            return obj.organization
        return obj.location.organization

    def bump_versions(self, obj) -> None:
        versions.bump(versions.STAFF)


@admin.register(Organization)
class OrganizationAdmin(PlacesAdmin):
    list_display = ["name", "kind", "parent", "participation_tier", "accepts_public_requests"]
    list_filter = ["kind", "participation_tier"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [LocationInline]


@admin.register(Location)
class LocationAdmin(PlacesAdmin):
    list_display = ["name", "organization", "city", "time_zone", "is_active"]
    list_filter = ["organization", "is_active"]
    search_fields = ["name", "city"]
    inlines = [OpeningHoursInline]
