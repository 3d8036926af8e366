from django.contrib import admin

from jobhelp.core import audit
from jobhelp.intake.models import HelpRequest, RequestNeed


class RequestNeedInline(admin.TabularInline):
    model = RequestNeed
    extra = 0


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    list_display = [
        "display_reference",
        "organization",
        "state",
        "channel",
        "language",
        "created_at",
    ]
    list_filter = ["state", "channel", "language", "organization"]
    search_fields = ["reference"]
    # State changes go through intake.domain so that they are audited and notify people.
    readonly_fields = [
        "reference",
        "state",
        "closing_reason",
        "assigned_to",
        "created_at",
        "consent_at",
        "taken_by",
        "channel",
    ]
    inlines = [RequestNeedInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            "jobhelp.request.edited_in_admin",
            actor=request.user,
            organization=obj.organization,
            obj=obj,
            data={"fields": sorted(form.changed_data)},
        )
