"""Setting up appointments: the kinds offered, helpers' hours, time off and closures. Bookings
themselves are made in the staff pages, through the booking rules; here they can only be read."""

from django.contrib import admin

from jobhelp.core import versions
from jobhelp.core.admin import AuditedAdmin
from jobhelp.scheduling.models import (
    Appointment,
    AppointmentType,
    AvailabilityException,
    Closure,
    WeeklyHours,
)


class ScheduleAdmin(AuditedAdmin):
    """Set-up that free appointment times are made of: a change raises the schedule's version
    of the library system (core.versions)."""

    def organization_of(self, obj):
        if hasattr(obj, "location"):
            return obj.location.organization
        return obj.organization

    def bump_versions(self, obj) -> None:
        versions.bump(versions.SCHEDULE, self.organization_of(obj).root_id)


@admin.register(AppointmentType)
class AppointmentTypeAdmin(ScheduleAdmin):
    list_display = ["name", "organization", "modality", "duration", "self_service"]
    list_filter = ["organization", "modality", "self_service"]
    search_fields = ["name"]


@admin.register(WeeklyHours)
class WeeklyHoursAdmin(ScheduleAdmin):
    list_display = ["helper", "location", "weekday", "starts", "ends"]
    list_filter = ["location", "weekday"]
    search_fields = ["helper__username", "helper__first_name", "helper__last_name"]
    autocomplete_fields = ["helper"]


@admin.register(AvailabilityException)
class AvailabilityExceptionAdmin(ScheduleAdmin):
    list_display = ["helper", "date", "kind", "location", "starts", "ends"]
    list_filter = ["kind", "location"]
    date_hierarchy = "date"
    autocomplete_fields = ["helper"]


@admin.register(Closure)
class ClosureAdmin(ScheduleAdmin):
    list_display = ["location", "starts", "ends", "reason"]
    list_filter = ["location", "reason"]
    date_hierarchy = "starts"


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["reference", "appointment_type", "helper", "location", "starts", "state"]
    list_filter = ["state", "location", "appointment_type"]
    date_hierarchy = "starts"
    readonly_fields = [f.name for f in Appointment._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
