from django import forms
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Language, Need
from jobhelp.core.forms import UswdsFormMixin
from jobhelp.core.validators import reject_control_characters
from jobhelp.intake.enums import (
    CLOSING_REASONS,
    OPEN_STATES,
    RESOLVING_REASONS,
    ClosingReason,
    ContactMethod,
    ContactOutcome,
    RequestState,
)
from jobhelp.intake.queries import helpers_for_request


class AssignForm(UswdsFormMixin, forms.Form):
    helper = forms.ModelChoiceField(
        label=_("Give this request to"),
        queryset=None,
        empty_label=_("Choose a person"),
        # Shown alone at the top of the page the form came from, so they name what is wrong.
        error_messages={
            "required": _("Choose who should take this request."),
            "invalid_choice": _(
                "That person cannot take requests here. Choose someone from the list."
            ),
        },
    )
    note = forms.CharField(
        label=_("Why? (needed when reassigning)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[reject_control_characters],
    )
    # Who the person saw on the request when the page was drawn; see triage.assign_request.
    expected_assignee = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, help_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helper"].queryset = helpers_for_request(help_request)
        self.fields["expected_assignee"].initial = help_request.assigned_to_id


class ContactAttemptForm(UswdsFormMixin, forms.Form):
    channel = forms.ChoiceField(
        label=_("How"),
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        initial=ContactMethod.PHONE,
    )
    outcome = forms.ChoiceField(
        label=_("What happened"), choices=ContactOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=500,
        validators=[reject_control_characters],
    )


class ResolveForm(UswdsFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Outcome"),
        widget=forms.RadioSelect,
        initial=ClosingReason.HELPED,
        choices=[(r.value, r.label) for r in ClosingReason if r in RESOLVING_REASONS],
    )


class CloseForm(UswdsFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is it closed?"),
        widget=forms.RadioSelect,
        choices=[(r.value, r.label) for r in ClosingReason if r in CLOSING_REASONS],
    )


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
        if data.get("need"):
            requests = requests.filter(needs__need=data["need"])
        if data.get("location") == "remote":
            requests = requests.filter(preferred_location__isnull=True)
        elif data.get("location"):
            requests = requests.filter(preferred_location_id=data["location"])
        if data.get("language"):
            requests = requests.filter(language=data["language"])
        if data.get("state"):
            requests = requests.filter(state=data["state"])
        if data.get("assignee") == "none":
            requests = requests.filter(assigned_to__isnull=True)
        elif data.get("assignee") == "me":
            requests = requests.filter(assigned_to=user)
        elif data.get("assignee"):
            requests = requests.filter(assigned_to_id=data["assignee"])
        return requests
