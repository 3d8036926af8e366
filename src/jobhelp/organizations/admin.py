from django.contrib import admin

from jobhelp.organizations.models import Location, OpeningHours, Organization


class LocationInline(admin.TabularInline):
    model = Location
    extra = 0
    fields = ["name", "city", "phone", "time_zone", "is_active"]
    show_change_link = True


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "participation_tier", "accepts_public_requests"]
    list_filter = ["kind", "participation_tier"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [LocationInline]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "city", "time_zone", "is_active"]
    list_filter = ["organization", "is_active"]
    search_fields = ["name", "city"]
    inlines = [OpeningHoursInline]
