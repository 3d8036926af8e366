"""What every model admin that changes set-up data shares: each save and delete, of the object and
of its inline rows, is audited (codes and field names only) and raises the versions of the cached
data it feeds (core.versions), in the same transaction as the change (the admin wraps each
change view in one)."""

from django.contrib import admin

from jobhelp.core import audit


class AuditedAdmin(admin.ModelAdmin):
    """Subclasses say which versions a changed object raises (`bump_versions`) and which
    organization it belongs to (`organization_of`), for the audit entry."""

    def bump_versions(self, obj) -> None:
        """Raise the versions of what `obj` (this admin's object or an inline row) feeds."""

    def organization_of(self, obj):
        return getattr(obj, "organization", None)

    def _audit(self, request, verb: str, obj, fields=()) -> None:
        audit.record(
            f"jobhelp.admin.{verb}",
            actor=request.user,
            organization=self.organization_of(obj),
            obj=obj,
            data={"model": obj._meta.label_lower, "fields": sorted(fields)},
        )
        self.bump_versions(obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._audit(request, "changed" if change else "added", obj, form.changed_data)

    def delete_model(self, request, obj):
        self._audit(request, "deleted", obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._audit(request, "deleted", obj)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        # Deleted rows are recorded first, while they still have their ids.
        for inline_form in formset.deleted_forms:
            if inline_form.instance.pk is not None:
                self._audit(request, "deleted", inline_form.instance)
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            self._audit(request, "added", obj)
        for obj, fields in formset.changed_objects:
            self._audit(request, "changed", obj, fields)
