"""What a visitor sends about classes: the calendar's filters, and leaving a class. Input
validation only. The registration form, which the API shares, is
workshops.forms.ClassRegistrationForm."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Language, Need
from jobhelp.core.forms import UswdsFormMixin
from jobhelp.organizations.models import Location


class ClassFilterForm(UswdsFormMixin, forms.Form):
    """The calendar's filters, read from the address (a GET form, so it works without
    JavaScript and a filtered list can be bookmarked). A value that is not offered is ignored
    rather than refused: the list is then simply not narrowed by it."""

    location = forms.ModelChoiceField(
        label=_("Library or place"),
        queryset=Location.objects.none(),
        required=False,
        empty_label=_("Anywhere"),
    )
    need = forms.ChoiceField(
        label=_("Topic"), choices=[("", _("Any topic")), *Need.choices], required=False
    )
    language = forms.ChoiceField(
        label=_("Language of the class"),
        choices=[("", _("Any language")), *Language.choices],
        required=False,
    )
    online = forms.BooleanField(label=_("Online classes only"), required=False)

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations

    def filters(self) -> dict:
        """The valid filters as keyword arguments for workshops.queries.public_sessions."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "location": data.get("location"),
            "need": data.get("need") or "",
            "language": data.get("language") or "",
            "online": bool(data.get("online")),
        }


class LeaveForm(UswdsFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, I want to give up my place"),
        error_messages={"required": _("Tick the box to confirm that you want to leave.")},
    )
