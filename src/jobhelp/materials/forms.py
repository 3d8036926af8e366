"""Input about materials and reference titles, shared by the staff pages and the API: input
validation only. Whether the person may make the change, and every rule about files, dates,
targets and titles, is decided by materials.domain and materials.titles (which check again, so
a form is never the only guard); their refusals come back to the form by field.

Choices (organizations, locations) are given by the caller, from materials.queries and
accounts.tenancy, already scoped to the user.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Language
from jobhelp.core.forms import UswdsFormMixin
from jobhelp.materials import files
from jobhelp.materials.domain import MaterialDetails
from jobhelp.materials.enums import Circulation, MaterialKind, Step, TitleFormat
from jobhelp.materials.titles import MAX_COPIES, MAX_TIMES_ASKED, TitleDetails


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class LocationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        if obj.name == obj.organization.name:
            return obj.name
        return f"{obj.name} ({obj.organization.name})"


class LocationField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        if obj.name == obj.organization.name:
            return obj.name
        return f"{obj.name} ({obj.organization.name})"


def _organization_field(form, organizations) -> None:
    """The organization acted for: a choice when there are several, else the one there is."""
    field = form.fields["organization"]
    field.queryset = organizations
    choices = list(organizations[:2])
    form.only_organization = choices[0] if len(choices) == 1 else None
    if form.only_organization is not None:
        field.initial = form.only_organization.pk
        field.required = False
        field.widget = forms.HiddenInput()


class _ActsFor:
    """The organization is asked only of someone who acts for several; for one who acts for
    one, it is that one (the API may leave it out)."""

    def clean_organization(self):
        chosen = self.cleaned_data.get("organization")
        return chosen or self.only_organization


class MaterialForm(_ActsFor, UswdsFormMixin, forms.Form):
    """A material to send: what it is, its file and where it goes. `too_large` names the file
    fields files.MaterialSizeLimit dropped as they arrived."""

    organization = OrganizationChoiceField(label=_("Sent by"), queryset=None)
    kind = forms.ChoiceField(
        label=_("What it is"),
        choices=MaterialKind.choices,
        widget=forms.RadioSelect,
        initial=MaterialKind.MONTHLY_FLYER,
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    month = forms.DateField(
        label=_("Month (monthly flyer)"),
        required=False,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("The month of the workshops, for example 2026-03."),
    )
    valid_from = forms.DateField(
        label=_("First day (marketing material)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    valid_until = forms.DateField(
        label=_("Last day (leave empty if it does not end)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    groups = forms.MultipleChoiceField(
        label=_("Send to every location of"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    targets = LocationsField(
        label=_("Or choose locations"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Not required by the field: a file dropped for its size must say so, not "required".
    file = forms.FileField(
        label=_("File (PDF, PNG or JPEG)"),
        required=False,
        help_text=_("At most %(mb)s MB. SVG drawings and web pages are not accepted.")
        % {"mb": files.max_bytes() // (1024 * 1024)},
    )

    def __init__(self, *args, organizations, locations, groups, too_large=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        _organization_field(self, organizations)
        self.fields["targets"].queryset = locations
        self.target_groups = {str(group.organization.pk): group for group in groups}
        self.fields["groups"].choices = [
            (str(group.organization.pk), group.organization.name) for group in groups
        ]
        self.too_large = too_large

    def clean_file(self):
        if "file" in self.too_large:
            raise ValidationError(
                _("The file is larger than %(mb)s MB. Save it smaller and try again.")
                % {"mb": files.max_bytes() // (1024 * 1024)},
                code="too_large",
            )
        upload = self.cleaned_data.get("file")
        if not upload:
            raise ValidationError(_("Choose the file to send."), code="required")
        return upload

    def clean(self):
        data = super().clean()
        chosen = {location.pk: location for location in data.get("targets") or ()}
        for key in data.get("groups") or ():
            for location in self.target_groups[key].locations:
                chosen.setdefault(location.pk, location)
        data["locations"] = list(chosen.values())
        if not data["locations"] and "targets" not in self.errors:
            self.add_error("targets", _("Choose at least one location to send it to."))
        return data

    def details(self) -> MaterialDetails:
        data = self.cleaned_data
        return MaterialDetails(
            kind=data["kind"],
            title=data["title"],
            language=data["language"],
            description=data["description"],
            month=data["month"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
        )


class ConfirmForm(UswdsFormMixin, forms.Form):
    """What a location did with a material: downloaded, printed (copies optional) or posted
    (with the number of copies put out)."""

    location = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    step = forms.ChoiceField(choices=Step.choices, widget=forms.HiddenInput)
    copies = forms.IntegerField(label=_("Copies"), required=False, min_value=1, max_value=100_000)


class TitleForm(_ActsFor, UswdsFormMixin, forms.Form):
    """A reference title, as typed on a page or sent to the API."""

    organization = OrganizationChoiceField(label=_("Listed by"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=300)
    author = forms.CharField(label=_("Author"), max_length=200, required=False)
    isbn = forms.CharField(
        label=_("ISBN"),
        max_length=30,
        required=False,
        help_text=_("ISBN-10 or ISBN-13, with or without hyphens."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=TitleFormat.choices)
    location = LocationField(label=_("Location"), queryset=None)
    shelf = forms.CharField(label=_("Shelf"), max_length=100, required=False)
    partner_shelf = forms.BooleanField(
        label=_("On the partner's shelf of partner resources"), required=False
    )
    circulation = forms.ChoiceField(
        label=_("Lending"), choices=Circulation.choices, widget=forms.RadioSelect
    )
    copies = forms.IntegerField(label=_("Copies"), min_value=0, max_value=MAX_COPIES, initial=1)
    times_asked = forms.IntegerField(
        label=_("Times asked for"), min_value=0, max_value=MAX_TIMES_ASKED, initial=0
    )

    def __init__(self, *args, organizations, locations, **kwargs):
        kwargs["initial"] = {
            "circulation": Circulation.CIRCULATING,
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        _organization_field(self, organizations)
        self.fields["location"].queryset = locations

    def details(self) -> TitleDetails:
        data = self.cleaned_data
        return TitleDetails(
            title=data["title"],
            location=data["location"],
            author=data["author"],
            isbn=data["isbn"],
            format=data["format"],
            shelf=data["shelf"],
            partner_shelf=data["partner_shelf"],
            circulation=data["circulation"],
            copies=data["copies"],
            times_asked=data["times_asked"],
        )


class ImportForm(_ActsFor, UswdsFormMixin, forms.Form):
    organization = OrganizationChoiceField(label=_("Titles of"), queryset=None)
    file = forms.FileField(
        label=_("CSV file (UTF-8)"),
        help_text=_(
            "Columns: title, author, isbn, format, location, shelf, partner_shelf, "
            "circulation, copies, times_asked. Title and location are required."
        ),
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        _organization_field(self, organizations)


class OrderForm(UswdsFormMixin, forms.Form):
    copies = forms.IntegerField(
        label=_("Copies"), min_value=1, max_value=MAX_COPIES, initial=1, required=False
    )
