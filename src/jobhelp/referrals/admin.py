"""The referrals in the admin, read-only: every change is a domain function that checks who
acts and writes the history and the audit entry; the admin only shows."""

from django.contrib import admin

from jobhelp.referrals.models import Consent, Receiver, Referral, ReferralEvent, WebhookDelivery


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = ReferralEvent
    fields = ("at", "kind", "from_state", "to_state", "by", "organization")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ("code", "state", "from_organization", "to_organization", "service", "sent_at")
    list_filter = ("state",)
    search_fields = ("code",)
    # The note for the partner is left out: the admin's list is no place for free text.
    exclude = ("note",)
    inlines = [EventInline]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ("referral", "method", "created_at", "expires_at", "withdrawn_at")
    # The copied details are not shown here: they belong to the two partners' pages.
    fields = (
        "referral",
        "shared_with",
        "fields",
        "method",
        "recorded_by",
        "created_at",
        "expires_at",
        "confirmed_at",
        "withdrawn_at",
        "withdrawn_via",
        "erased_at",
    )


@admin.register(Receiver)
class ReceiverAdmin(ReadOnlyAdmin):
    list_display = ("organization", "expire_after_days", "webhook_url")
    exclude = ("webhook_secret",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("event", "referral", "organization", "state", "attempts", "last_error")
    list_filter = ("state", "event")
