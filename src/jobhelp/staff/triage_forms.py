from django import forms
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Language, Need
from jobhelp.core.forms import UswdsFormMixin
from jobhelp.intake.enums import OPEN_STATES, RequestState
from jobhelp.intake.queries import filter_queue


class QueueFilterForm(UswdsFormMixin, forms.Form):
    need = forms.ChoiceField(label=_("Need"), required=False)
    location = forms.ChoiceField(label=_("Library"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)

    def __init__(self, *args, locations, helpers, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["need"].choices = anything + list(Need.choices)
        self.fields["location"].choices = [
            *anything,
            ("remote", _("Any library / remote")),
            *[(str(loc.pk), loc.name) for loc in locations],
        ]
        self.fields["language"].choices = anything + list(Language.choices)
        self.fields["state"].choices = anything + [
            (s.value, s.label) for s in RequestState if s in OPEN_STATES
        ]
        self.fields["assignee"].choices = [
            *anything,
            ("none", _("Nobody yet")),
            ("me", _("Me")),
            *[(str(h.pk), str(h)) for h in helpers],
        ]

    def apply(self, requests, *, user):
        data = self.cleaned_data
        return filter_queue(
            requests,
            user=user,
            need=data.get("need", ""),
            location=data.get("location"),
            language=data.get("language", ""),
            state=data.get("state", ""),
            assignee=data.get("assignee"),
        )
