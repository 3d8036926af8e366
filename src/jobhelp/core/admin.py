"""What every model admin that changes set-up data shares: each save and delete, of the object and
of its inline rows, is audited (codes and field names only) and raises the versions of the cached
data it feeds (core.versions), in the same transaction as the change (the admin wraps each
change view in one)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jobhelp.core import audit


def _usable(field, value) -> bool:
    """Can `value` be looked up in `field` (a key) without the database refusing it?"""
    try:
        field.run_validators(field.to_python(value))
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return True


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete list, which on redrawing a refused form looks up whatever was sent
    as the chosen key: "abc" or an id too large for the column was a 500. Values that cannot be
    a key are left out of that lookup; the form field's own message says what is wrong."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        # Select2 names its box by the text shown in it: with nothing chosen yet that was
        # empty, a box without a name (axe: aria-input-field-name). The placeholder names it.
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs["data-placeholder"] = _("Type to find: %(field)s") % {
            "field": self.field.verbose_name
        }
        return attrs

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = remote.model._meta.get_field(remote.field_name)
        return super().optgroups(name, [v for v in value if v and _usable(key, v)], attr)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's checks of chosen keys let an id too large for the column through to the
    database (an OverflowError on SQLite, a 500); this refuses it as an invalid choice."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.get_field(key) if key != "pk" else None
        field = field or self.queryset.model._meta.pk
        for item in value:
            if not _usable(field, item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)


class HardenedAdmin(admin.ModelAdmin):
    """Keys sent by hand (a hostile or broken form) get a message, never a 500; autocomplete
    boxes get their field's name (admin-names.js)."""

    class Media:
        js = ["jobhelp/admin-names.js"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AuditedAdmin(HardenedAdmin):
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
