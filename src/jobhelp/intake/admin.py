from django.contrib import admin

from jobhelp.core import audit, versions
from jobhelp.core.admin import AuditedAdmin
from jobhelp.intake.models import HelpRequest, RequestNeed


class RequestNeedInline(admin.StackedInline):
    model = RequestNeed
    extra = 0


@admin.register(HelpRequest)
class HelpRequestAdmin(AuditedAdmin):
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

    def has_add_permission(self, request):
        # A request is made by intake.domain.submit_request (the form, the staff page, the
        # API), which routes it, audits it and tells the patron.
        return False

    def organization_of(self, obj):
        return obj.organization if isinstance(obj, HelpRequest) else obj.request.organization

    def bump_versions(self, obj) -> None:
        versions.bump(versions.REQUESTS, self.organization_of(obj).root_id)

    def save_model(self, request, obj, form, change):
        admin.ModelAdmin.save_model(self, request, obj, form, change)
        self.bump_versions(obj)
        audit.record(
            "jobhelp.request.edited_in_admin",
            actor=request.user,
            organization=obj.organization,
            obj=obj,
            data={"fields": sorted(form.changed_data)},
        )
