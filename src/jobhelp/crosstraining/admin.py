"""The admin shows trainings, records and requirements, and the card pool with each card's
last four digits only: the number is never decrypted or shown here. Changes of state go
through the staff pages (crosstraining.domain, crosstraining.lending)."""

from django.contrib import admin

from jobhelp.crosstraining.models import Card, CardLoan, Requirement, Training, TrainingRecord


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Training)
class TrainingAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "organization", "starts_at", "held_at"]
    list_filter = ["kind"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ReadOnlyAdmin):
    list_display = ["person", "title", "kind", "completed_on", "given_by"]


@admin.register(Requirement)
class RequirementAdmin(ReadOnlyAdmin):
    list_display = ["organization", "role", "kind", "within_days", "refresh_months"]


@admin.register(Card)
class CardAdmin(ReadOnlyAdmin):
    list_display = ["masked", "library", "branch", "is_retired"]
    fields = ["masked", "library", "branch", "is_retired", "created_at"]
    readonly_fields = fields
    search_fields = ["last_four"]


@admin.register(CardLoan)
class CardLoanAdmin(ReadOnlyAdmin):
    list_display = ["card", "holder", "state", "issued_on", "expires_on"]
    fields = ["card", "holder", "state", "issued_on", "expires_on", "issued_by", "ended_at"]
    readonly_fields = fields
