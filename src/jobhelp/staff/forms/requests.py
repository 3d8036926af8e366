"""The request list's filters. A new request is taken with intake's StaffHelpRequestForm, which
the API shares."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Language, Need
from jobhelp.core.forms import UswdsFormMixin
from jobhelp.core.references import normalize_reference
from jobhelp.intake.enums import IntakeChannel, RequestState
from jobhelp.organizations.models import Organization

ANY = _("Any")


def _with_any(choices):
    return [("", ANY), *choices]


class RequestFilterForm(UswdsFormMixin, forms.Form):
    reference = forms.CharField(label=_("Reference code"), required=False, max_length=12)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=_with_any(RequestState.choices)
    )
    need = forms.ChoiceField(label=_("Need"), required=False, choices=_with_any(Need.choices))
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=_with_any(Language.choices)
    )
    channel = forms.ChoiceField(
        label=_("Received by"), required=False, choices=_with_any(IntakeChannel.choices)
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=_("Any"),
    )

    def __init__(self, *args, organizations: QuerySet[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations.order_by("name")

    def apply(self, requests):
        data = self.cleaned_data
        if data.get("reference"):
            requests = requests.filter(reference=normalize_reference(data["reference"]))
        if data.get("state"):
            requests = requests.filter(state=data["state"])
        if data.get("need"):
            requests = requests.filter(needs__need=data["need"])
        if data.get("language"):
            requests = requests.filter(language=data["language"])
        if data.get("channel"):
            requests = requests.filter(channel=data["channel"])
        if data.get("organization"):
            requests = requests.filter(organization=data["organization"])
        return requests
