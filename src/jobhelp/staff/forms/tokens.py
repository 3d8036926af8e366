"""Naming a new API token."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobhelp.core.forms import UswdsFormMixin
from jobhelp.core.validators import validate_single_line


class ApiTokenForm(UswdsFormMixin, forms.Form):
    name = forms.CharField(
        label=_("What is this token for?"),
        max_length=80,
        validators=[validate_single_line],
        help_text=_("For example: the branch's kiosk script."),
    )
