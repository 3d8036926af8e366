"""The partnerships in the admin, to read only: every change goes through the domain modules
(partners, agreements, obligations, meetings, grants, log), which check who acts and audit it."""

from django.contrib import admin

from jobhelp.partnerships.models import (
    ActionItem,
    Agreement,
    Grant,
    LogEntry,
    Meeting,
    Obligation,
    Partnership,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Partnership)
class PartnershipAdmin(ReadOnlyAdmin):
    list_display = ["name", "convener", "liaison", "expected_liaison_minutes"]


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ["title", "partnership", "status", "effective_from", "renewal_on"]
    list_filter = ["status"]
    search_fields = ["title"]


@admin.register(Obligation)
class ObligationAdmin(ReadOnlyAdmin):
    list_display = ["title", "agreement", "owner_organization", "frequency", "first_due_on"]
    list_filter = ["frequency", "kind"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "partnership", "starts", "cancelled_at"]


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "owner", "due_on", "status"]
    list_filter = ["status"]


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdmin):
    list_display = ["funder", "opportunity", "lead_organization", "deadline", "status"]
    list_filter = ["status"]


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    list_display = ["occurred_on", "liaison", "activity", "minutes", "partnership"]
    list_filter = ["activity"]
