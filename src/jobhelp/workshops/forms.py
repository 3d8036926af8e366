"""Input about classes shared by the staff pages and the API. Input validation only: whether
attendance may be taken yet is workshops.domain.mark_attendance's decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jobhelp.core.forms import UswdsFormMixin
from jobhelp.workshops.enums import RegistrationState

# The people whose attendance is marked: those holding a seat when the session began, and
# those already marked (marking again corrects it).
ON_ROSTER = (RegistrationState.REGISTERED, RegistrationState.ATTENDED, RegistrationState.NO_SHOW)


class AttendanceForm(UswdsFormMixin, forms.Form):
    """Who came, as registration ids; everyone else on the roster did not come. `roster` is
    the session's registrations (workshops.queries.roster), already read by the caller."""

    attended = forms.TypedMultipleChoiceField(
        label=_("Who came"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick everyone who came. Everyone not ticked is marked as not come."),
        error_messages={"invalid_choice": _("Mark only people registered for this session.")},
    )

    def __init__(self, *args, roster, **kwargs):
        people = [r for r in roster if r.state in ON_ROSTER]
        kwargs.setdefault(
            "initial",
            {"attended": [r.pk for r in people if r.state == RegistrationState.ATTENDED]},
        )
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(r.pk, r.name or _("(name erased)")) for r in people]
