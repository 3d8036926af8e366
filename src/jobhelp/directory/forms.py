"""Forms the directory's interfaces share: input validation only. The checks that need the
data (a count above the computers, who may change what) are the domain's, whose errors the
views show on these forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Language, Need
from jobhelp.core.forms import UswdsFormMixin
from jobhelp.directory.enums import AccessMethod, ServiceStatus, Software


class CountForm(UswdsFormMixin, forms.Form):
    """'Now: 14 of 16 in use, 3 waiting', from a kiosk or the front desk."""

    in_use = forms.IntegerField(label=_("Computers in use now"), min_value=0, max_value=10_000)
    waiting = forms.IntegerField(label=_("People waiting now"), min_value=0, max_value=10_000)


class ServiceForm(UswdsFormMixin, forms.Form):
    """A directory entry's public fields (directory.domain.SERVICE_FIELDS but terms and the
    review date, which have their own buttons) and where it is offered."""

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=ServiceStatus.choices)
    needs = forms.MultipleChoiceField(
        label=_("Helps with"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    access = forms.MultipleChoiceField(
        label=_("How people get it"),
        choices=AccessMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    application_process = forms.CharField(
        label=_("How to get it, in words"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    eligibility = forms.CharField(
        label=_("Who it is for"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    is_free = forms.BooleanField(label=_("Free of charge"), required=False)
    fees_description = forms.CharField(label=_("Cost, in words"), required=False)
    required_documents = forms.CharField(
        label=_("What to bring"),
        help_text=_("One thing a line."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    phone = forms.CharField(label=_("Public phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("Public email"), required=False)
    url = forms.URLField(
        label=_("Web address"), max_length=500, required=False, assume_scheme="https"
    )
    alert = forms.CharField(label=_("Notice"), max_length=300, required=False)
    locations = forms.ModelMultipleChoiceField(
        label=_("Where it is offered"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locations"].queryset = locations

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("locations")
        data["required_documents"] = [
            line.strip() for line in data["required_documents"].splitlines() if line.strip()
        ]
        return data

    @staticmethod
    def initial_for(service) -> dict:
        return {
            **{name: getattr(service, name) for name in ServiceFormFields},
            "required_documents": "\n".join(service.required_documents),
            "locations": [at.location_id for at in service.places.all()],
        }


ServiceFormFields = (
    "name",
    "description",
    "status",
    "needs",
    "access",
    "languages",
    "application_process",
    "eligibility",
    "is_free",
    "fees_description",
    "phone",
    "email",
    "url",
    "alert",
)


class StaffDetailsForm(UswdsFormMixin, forms.Form):
    """The staff-only details: never published."""

    direct_line = forms.CharField(label=_("Direct line for staff"), max_length=20, required=False)
    referral_contact = forms.CharField(
        label=_("Who takes referrals"), max_length=200, required=False
    )
    referral_email = forms.EmailField(label=_("Email for referrals"), required=False)
    notes_for_referrers = forms.CharField(
        label=_("Notes for referrers"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PublicComputersForm(UswdsFormMixin, forms.Form):
    count = forms.IntegerField(label=_("Public computers"), min_value=0, max_value=1000)
    software = forms.MultipleChoiceField(
        label=_("What they have"),
        choices=Software.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    printing = forms.BooleanField(label=_("Printing"), required=False)
    scanning = forms.BooleanField(label=_("Scanning"), required=False)
    wifi = forms.BooleanField(label=_("Wi-Fi"), required=False)
