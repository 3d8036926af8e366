"""The patron's three questions after a help session. Input validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobhelp.casework.domain import Answers
from jobhelp.core.forms import UswdsFormMixin
from jobhelp.core.validators import reject_control_characters

HELPFUL_CHOICES = [
    (5, _("5 – Very helpful")),
    (4, _("4")),
    (3, _("3")),
    (2, _("2")),
    (1, _("1 – Not helpful")),
]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class SurveyForm(UswdsFormMixin, forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("How helpful was the help you got?"),
        choices=HELPFUL_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a number from 1 to 5.")},
    )
    would_recommend = forms.ChoiceField(
        label=_("Would you recommend this service to a friend?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    comment = forms.CharField(
        label=_("Anything you want to tell us? (optional)"),
        help_text=_("Please do not write your name or contact details here."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[reject_control_characters],
    )
    may_quote = forms.BooleanField(
        label=_("You may quote my comment, without my name, to show what the service does."),
        required=False,
    )

    def clean_would_recommend(self) -> bool:
        return self.cleaned_data["would_recommend"] == "yes"

    def answers(self) -> Answers:
        data = self.cleaned_data
        return Answers(
            helpful=data["helpful"],
            would_recommend=data["would_recommend"],
            comment=data["comment"],
            may_quote=data["may_quote"],
        )
