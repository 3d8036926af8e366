from django.contrib import admin

from jobhelp.notifications.models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ["template", "channel", "language", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "template", "channel"]
    readonly_fields = [f.name for f in OutboundMessage._meta.fields]

    def has_add_permission(self, request):
        return False
