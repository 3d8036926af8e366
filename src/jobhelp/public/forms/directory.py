"""What a visitor sends to the directory and the computers page (GET forms, so they work
without JavaScript and a search can be bookmarked), and what a kiosk posts. Input validation
only: the searches and the count are directory.queries, directory.waits and
directory.computers. The count form, which the staff pages share, is
directory.forms.CountForm."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Language, Need
from jobhelp.core.forms import UswdsFormMixin


class DirectorySearchForm(UswdsFormMixin, forms.Form):
    need = forms.ChoiceField(
        label=_("What do you need help with?"),
        choices=[("", _("Anything")), *Need.choices],
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Any language")), *Language.choices],
        required=False,
    )
    place = forms.CharField(
        label=_("Near a town or ZIP code"),
        help_text=_("For example 55401"),
        max_length=60,
        required=False,
    )
    text = forms.CharField(label=_("Words to look for"), max_length=100, required=False)
    open_now = forms.BooleanField(label=_("Open now"), required=False)


class NearestForm(UswdsFormMixin, forms.Form):
    place = forms.CharField(
        label=_("Your town or ZIP code"),
        help_text=_("For example 55401"),
        max_length=60,
        required=False,
    )
