from django import forms


class UswdsFormMixin:
    """Adds the U.S. Web Design System classes and the ARIA links between a field, its hint and
    its error message, so templates can stay a plain loop over fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                css = "usa-radio__input"
            elif isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                css = "usa-checkbox__input"
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
                described.append(f"{name}-hint")
            if described and not isinstance(
                widget, forms.RadioSelect | forms.CheckboxSelectMultiple
            ):
                widget.attrs["aria-describedby"] = " ".join(described)

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
                    if f"{name}-error" not in ids:
                        ids.append(f"{name}-error")
                    widget.attrs["aria-describedby"] = " ".join(ids)
