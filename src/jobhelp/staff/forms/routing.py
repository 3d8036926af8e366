"""A routing rule as a manager enters it, and moving it up or down the list."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jobhelp.accounts.enums import HELPING_ROLES, Role
from jobhelp.core.enums import Language, Need
from jobhelp.core.forms import UswdsFormMixin
from jobhelp.core.validators import validate_single_line
from jobhelp.intake.enums import IntakeChannel, RuleLocationScope
from jobhelp.intake.models import RoutingRule
from jobhelp.intake.routing_rules import EDITABLE_FIELDS, validate_rule
from jobhelp.organizations.models import Location, Organization
from jobhelp.staff.common.forms import LocationChoiceField

User = get_user_model()

TARGET_FIELDS = frozenset({"target_helper", "target_role", "target_location"})
# Only people in these roles are ever suggested or assigned, so a rule naming another role
# would match nobody.
TARGET_ROLES = [(value, label) for value, label in Role.choices if value in HELPING_ROLES]


class RoutingRuleForm(UswdsFormMixin, forms.Form):
    """A routing rule as a manager enters it. Choices are limited to the organizations the
    manager runs; that the rule's library and people belong to the chosen organization is
    checked by intake.routing_rules.validate_rule, which the domain functions also call."""

    name = forms.CharField(
        label=_("Name of the rule"),
        max_length=80,
        validators=[validate_single_line],
        help_text=_(
            "Staff see this name in the list and beside suggestions. For example: "
            "Spanish speakers to the Central team."
        ),
    )
    name_es = forms.CharField(
        label=_("Name of the rule in Spanish"),
        required=False,
        max_length=80,
        validators=[validate_single_line],
        help_text=_("Optional. Staff reading in Spanish see it; without it, they see the name."),
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), empty_label=None
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Matches a request that asks for any of these. Check none to match any need."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Any language")), *Language.choices],
        required=False,
    )
    location_scope = forms.ChoiceField(
        label=_("Where"),
        choices=RuleLocationScope.choices,
        initial=RuleLocationScope.ANY,
        widget=forms.RadioSelect,
    )
    location = LocationChoiceField(
        label=_("Library"),
        queryset=Location.objects.none(),
        required=False,
        empty_label=_("Choose a library"),
        help_text=_("Only used with “Only requests for one library”."),
    )
    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[("", _("Any way")), *IntakeChannel.choices],
        required=False,
    )
    target_helper = forms.ModelChoiceField(
        label=_("Send to this person"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No one in particular"),
    )
    target_role = forms.ChoiceField(
        label=_("Or send to people with this role"),
        choices=[("", _("Any role")), *TARGET_ROLES],
        required=False,
    )
    target_location = LocationChoiceField(
        label=_("And to the team at this library"),
        queryset=Location.objects.none(),
        required=False,
        empty_label=_("Any library"),
        help_text=_("People whose usual location is this library."),
    )
    auto_assign = forms.BooleanField(
        label=_("Assign new matching requests automatically"),
        required=False,
        help_text=_("The best suggested person gets the request at once, without a manager."),
    )
    is_fallback = forms.BooleanField(
        label=_("Fallback rule"),
        required=False,
        help_text=_("Used when no other rule matches; its conditions are ignored."),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(
        self,
        *args,
        organizations: QuerySet[Organization],
        rule: RoutingRule | None = None,
        **kwargs,
    ):
        if rule is not None:
            kwargs.setdefault("initial", _initial(rule))
        super().__init__(*args, **kwargs)
        self.rule = rule
        organizations = organizations.order_by("name", "pk")
        locations = (
            Location.objects.filter(organization__in=organizations, is_active=True)
            .select_related("organization")
            .order_by("name", "pk")
        )
        self.fields["location"].queryset = locations
        self.fields["target_location"].queryset = locations
        self.fields["target_helper"].queryset = (
            User.objects.filter(
                is_active=True,
                memberships__organization__in=organizations,
                memberships__role__in=HELPING_ROLES,
            )
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        if rule is not None:
            # A rule stays with its organization; a new one is made for another.
            del self.fields["organization"]
        else:
            field = self.fields["organization"]
            field.queryset = organizations
            only = list(organizations[:2])
            if len(only) == 1:
                field.widget = forms.HiddenInput()
                field.initial = only[0].pk

    @property
    def rule_organization(self) -> Organization | None:
        if self.rule is not None:
            return self.rule.organization
        return self.cleaned_data.get("organization")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        organization = self.rule_organization
        if organization is None:
            return data
        try:
            validate_rule(organization, {name: data.get(name) for name in EDITABLE_FIELDS})
        except ValidationError as error:
            for name, messages in error.error_dict.items():
                # A choice that was already refused gets one message, not two; and a refused
                # role or library is not reported again as "no target".
                related = TARGET_FIELDS if name == "target_helper" else {name}
                if not related & set(self.errors):
                    self.add_error(name, messages)
        return data

    def rule_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


def _initial(rule: RoutingRule) -> dict[str, Any]:
    initial = {
        name: getattr(rule, name)
        for name in EDITABLE_FIELDS - {"location", "target_helper", "target_location"}
    }
    initial.update(
        location=rule.location_id,
        target_helper=rule.target_helper_id,
        target_location=rule.target_location_id,
    )
    return initial


class MoveRuleForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])
