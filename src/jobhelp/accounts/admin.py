from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from jobhelp.accounts.domain import revoke_api_token
from jobhelp.accounts.models import ApiToken, Membership, Qualification, SpokenLanguage, User
from jobhelp.accounts.twofactor import remove_two_factor
from jobhelp.core import versions
from jobhelp.core.admin import AuditedAdmin, HardenedAdmin


# Stacked, not tabular: each row's fields keep their own labels (a table's rows have none,
# which screen readers cannot tell apart: axe's label and empty-table-header).
class MembershipInline(admin.StackedInline):
    model = Membership
    extra = 0


class QualificationInline(admin.StackedInline):
    model = Qualification
    extra = 0


class SpokenLanguageInline(admin.StackedInline):
    model = SpokenLanguage
    extra = 0


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    """People, their memberships, qualifications and languages: who routing suggests and who
    may book, so a change raises the staff version (core.versions)."""

    inlines = [MembershipInline, QualificationInline, SpokenLanguageInline]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (None, {"fields": ["preferred_language"]}),
    ]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]
    # Plain lists with labels: the two-pane chooser's icons carry ARIA attributes a <span> may
    # not have (axe: aria-prohibited-attr).
    filter_horizontal = ()

    actions = ["remove_two_factor"]

    def organization_of(self, obj):
        return getattr(obj, "organization", None)

    @admin.action(description=_("Remove two-factor sign-in (a lost phone)"))
    def remove_two_factor(self, request, queryset):
        for user in queryset:
            remove_two_factor(user, by=request.user)

    def bump_versions(self, obj) -> None:
        versions.bump(versions.STAFF)


# Django's groups, with the same guard against hand-made keys as every other admin page.
admin.site.unregister(Group)
# django-otp's own pages would show every person's secret key (and its QR code) to any
# administrator; devices are set up by their owner and removed with the action above.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(Group)
class GroupAdmin(HardenedAdmin, BaseGroupAdmin):
    filter_horizontal = ()


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at", "revoked_at"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            revoke_api_token(token, by=request.user)

    def has_add_permission(self, request):
        # Keys are made by accounts.domain.create_api_token so the secret is shown exactly once.
        return False
