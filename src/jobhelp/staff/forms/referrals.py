"""The referral queue's filters, which only the staff page uses; the input of the referral
functions is referrals.forms, shared with the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobhelp.core.forms import UswdsFormMixin
from jobhelp.referrals.enums import ReferralState


class QueueFilterForm(UswdsFormMixin, forms.Form):
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=None, required=False, empty_label=_("Any service")
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("open", _("Open")), ("", _("Any state")), *ReferralState.choices],
        initial="open",
    )
    q = forms.CharField(
        label=_("Code, or a name or phone number the patron agreed to share"),
        required=False,
        max_length=100,
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        service = data.get("service")
        return {
            "service": service.pk if service else None,
            "state": data.get("state", "open") if self.is_bound else "open",
            "text": data.get("q", ""),
        }
