"""What a visitor sends to the directory and the computers page (GET forms, so they work
without JavaScript and a search can be bookmarked), and what a kiosk posts. Input validation
only: the searches and the count are directory.queries, directory.waits and
directory.computers."""

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


class CountForm(UswdsFormMixin, forms.Form):
    """'Now: 14 of 16 in use, 3 waiting'. The bounds against the location's computers are
    checked by directory.computers, whose CountError the view shows on the form."""

    in_use = forms.IntegerField(label=_("Computers in use now"), min_value=0, max_value=10_000)
    waiting = forms.IntegerField(label=_("People waiting now"), min_value=0, max_value=10_000)
