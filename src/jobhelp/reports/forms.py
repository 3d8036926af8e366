"""The report filters, checked the same way for the staff pages and the API.

The organization and helper choices are limited to the manager's scope; a value outside it is
an "invalid_choice" error, which the interfaces answer with a 404, as for any other
organization's object (see `names_foreign_object`).
"""

from datetime import date

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Language, Modality, Need
from jobhelp.core.forms import UswdsFormMixin
from jobhelp.intake.enums import IntakeChannel
from jobhelp.organizations.models import Organization
from jobhelp.reports.filters import EARLIEST, MAX_DAYS, ReportFilters, Scope, month_of, previous
from jobhelp.reports.queries import helpers_in_scope

ANY = _("Any")


def _with_any(choices):
    return [("", ANY), *choices]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class HelperChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class ReportFilterForm(UswdsFormMixin, forms.Form):
    """Bound to the query string even when it is empty: with neither date, the last full month
    (what a director reports on); with a start only, from it to `today`."""

    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(
        label=_("Until"), required=False, widget=DateInput(), help_text=_("This day included.")
    )
    organization = forms.ModelChoiceField(
        label=_("Organization or branch"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=_("All"),
    )
    need = forms.ChoiceField(label=_("Need"), required=False, choices=_with_any(Need.choices))
    channel = forms.ChoiceField(
        label=_("Received by"), required=False, choices=_with_any(IntakeChannel.choices)
    )
    modality = forms.ChoiceField(
        label=_("How help was given"), required=False, choices=_with_any(Modality.choices)
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=_with_any(Language.choices)
    )
    helper = HelperChoiceField(
        label=_("Helper"), required=False, queryset=None, empty_label=_("Anyone")
    )

    def __init__(self, *args, scope: Scope, helpers: QuerySet, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["organization"].queryset = Organization.objects.filter(
            pk__in=sorted(scope.ids)
        ).order_by("name", "pk")
        self.fields["helper"].queryset = helpers

    @classmethod
    def for_scope(cls, data, *, scope: Scope):
        """The form for `scope`'s manager: its helpers, and "today" in the scope's zone."""
        return cls(
            data,
            scope=scope,
            helpers=helpers_in_scope(scope),
            today=timezone.localdate(timezone=scope.zone()),
        )

    def names_foreign_object(self) -> bool:
        """An organization or helper the manager may not see (or that does not exist)."""
        return self.has_error("organization", "invalid_choice") or self.has_error(
            "helper", "invalid_choice"
        )

    def clean(self):
        data = super().clean()
        if self.has_error("start") or self.has_error("end"):
            return data
        start, end = data.get("start"), data.get("end")
        if start is None and end is None:
            start, end = previous(month_of(self.today), "month")
        start = start or end.replace(day=1)
        end = end or (self.today if start <= self.today else start)
        latest = date(self.today.year + 1, 12, 31)
        if start < EARLIEST:
            self.add_error("start", _("Reports begin on 1 January 2000. Choose a later date."))
        elif end > latest:
            self.add_error(
                "end",
                _("Choose an end date no later than %(date)s.")
                % {"date": latest.strftime("%Y-%m-%d")},
            )
        elif start > end:
            self.add_error("end", _("The end date must be on or after the start date."))
        elif (end - start).days >= MAX_DAYS:
            self.add_error("end", _("A report covers at most five years. Choose a shorter range."))
        data["start"], data["end"] = start, end
        return data

    def filters(self) -> ReportFilters:
        data = self.cleaned_data
        organization, helper = data.get("organization"), data.get("helper")
        return ReportFilters(
            start=data["start"],
            end=data["end"],
            organization_id=organization.pk if organization else None,
            need=data.get("need", ""),
            channel=data.get("channel", ""),
            modality=data.get("modality", ""),
            language=data.get("language", ""),
            helper_id=helper.pk if helper else None,
        )
