from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from jobhelp.core import files
from jobhelp.core.phones import normalize_phone
from jobhelp.core.validators import (
    CONTROL_CHARACTER_CHECKS,
    reject_control_characters,
    validate_single_line,
)


class UswdsFormMixin:
    """Adds the U.S. Web Design System classes and the ARIA links between a field, its hint and
    its error message, so templates can stay a plain loop over fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField):
                field.validators = _one_control_character_check(field.validators)
            widget = field.widget
            # CheckboxSelectMultiple is a subclass of RadioSelect, so it must be tested first.
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                css = "usa-checkbox__input"
            elif isinstance(widget, forms.RadioSelect):
                css = "usa-radio__input"
            elif isinstance(widget, forms.Select):
                css = "usa-select"
            elif isinstance(widget, forms.Textarea):
                css = "usa-textarea"
            elif isinstance(widget, forms.HiddenInput):
                continue
            else:
                css = "usa-input"
            widget.attrs["class"] = css
            described = []
            if field.help_text:
                described.append(f"{self._element_id(name)}-hint")
            if described and not isinstance(
                widget, forms.RadioSelect | forms.CheckboxSelectMultiple
            ):
                widget.attrs["aria-describedby"] = " ".join(described)

    def _element_id(self, name: str) -> str:
        """The field's HTML id, as BoundField.auto_id makes it, so two forms on one page never
        share an id. Not self[name]: that caches the bound field before subclasses finish
        setting labels in their __init__."""
        html_name = self.add_prefix(name)
        if self.auto_id and "%s" in str(self.auto_id):
            return str(self.auto_id) % html_name
        return html_name

    def full_clean(self):
        super().full_clean()
        # Errors are known only now; mark the widgets so the page shows them.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if not isinstance(
                    widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.HiddenInput
                ):
                    widget.attrs["aria-invalid"] = "true"
                    if "usa-input--error" not in widget.attrs.get("class", ""):
                        widget.attrs["class"] = widget.attrs.get("class", "") + " usa-input--error"
                    ids = widget.attrs.get("aria-describedby", "").split()
                    if f"{self._element_id(name)}-error" not in ids:
                        ids.append(f"{self._element_id(name)}-error")
                    widget.attrs["aria-describedby"] = " ".join(ids)


def _one_control_character_check(validators: list) -> list:
    """Django's own null-character check says "Null characters are not allowed." beside our
    message for the same mistake, or alone in words a patron does not know; every text field
    gets reject_control_characters exactly once instead."""
    kept = [v for v in validators if not isinstance(v, ProhibitNullCharactersValidator)]
    if not any(v in CONTROL_CHARACTER_CHECKS for v in kept):
        kept.append(reject_control_characters)
    return kept


class PhoneAndEmailCleaning:
    """A form's `phone` in E.164 form (typed any way people write it) and its `email` in lower
    case; either may be empty. Shared by every form that takes a patron's contact details."""

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"]
        if not raw.strip():
            return ""
        reject_control_characters(raw)
        return normalize_phone(raw)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class AttachedFileForm(UswdsFormMixin, forms.Form):
    """A file to attach to a record (core.attachments), with what it is. `validate` is the check
    by content (core.files.validate_evidence, or validate_pdf); `too_large` are the fields the
    upload size limit (core.files.UploadSizeLimit) dropped while the file arrived. Each app's
    form names its fields' labels and hints."""

    validate = staticmethod(files.validate_evidence)

    title = forms.CharField(
        label=_("What it is"), required=False, max_length=200, validators=[validate_single_line]
    )
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, too_large=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = set(too_large)
        if "file" in self.too_large:
            # The size limit dropped the file: say so, not "This field is required."
            self.fields["file"].required = False

    def clean_file(self):
        if "file" in self.too_large:
            raise files.too_large_error()
        upload = self.cleaned_data["file"]
        self.display_name = files.display_name(upload.name)
        self.validate(upload)
        return upload
