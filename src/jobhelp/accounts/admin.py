from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from jobhelp.accounts.models import ApiToken, Membership, Qualification, SpokenLanguage, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


class QualificationInline(admin.TabularInline):
    model = Qualification
    extra = 0


class SpokenLanguageInline(admin.TabularInline):
    model = SpokenLanguage
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline, QualificationInline, SpokenLanguageInline]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (None, {"fields": ["preferred_language"]}),
    ]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request):
        # Keys are made by accounts.domain.create_api_token so the secret is shown exactly once.
        return False
