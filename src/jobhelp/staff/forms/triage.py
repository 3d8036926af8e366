"""The queue's filters. The triage moves' input forms are intake's (intake.forms), shared with the
API."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Language, Need
from jobhelp.core.forms import UswdsFormMixin
from jobhelp.intake.enums import OPEN_STATES, RequestState
from jobhelp.intake.queries import filter_queue


class PlainSelect(forms.Select):
    """A select written in Python, with the markup Django's templates give it. Django renders
    each option through a template of its own; for the queue's list of every helper that took
    longer than the rest of the page. Choices without groups only."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)[:1]
        options = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            selected = " selected" if option_value in chosen else ""
            options.append(
                f'<option value="{escape(option_value)}"{selected}>{escape(label)}</option>'
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(options)),
        )


class QueueFilterForm(UswdsFormMixin, forms.Form):
    need = forms.ChoiceField(label=_("Need"), required=False, widget=PlainSelect)
    location = forms.ChoiceField(label=_("Library"), required=False, widget=PlainSelect)
    language = forms.ChoiceField(label=_("Language"), required=False, widget=PlainSelect)
    state = forms.ChoiceField(label=_("State"), required=False, widget=PlainSelect)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False, widget=PlainSelect)

    def __init__(self, *args, locations, helpers, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["need"].choices = anything + list(Need.choices)
        self.fields["location"].choices = [
            *anything,
            ("remote", _("Any library / remote")),
            *[(str(pk), name) for pk, name in locations],
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
