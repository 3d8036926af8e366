"""A class as staff create and edit it, with its flyer."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jobhelp.core.enums import Language, Need
from jobhelp.core.forms import UswdsFormMixin
from jobhelp.core.validators import validate_single_line
from jobhelp.organizations.models import Organization
from jobhelp.staff.forms.classes.fields import seats_field
from jobhelp.workshops import flyers
from jobhelp.workshops.enums import Delivery


class ClassForm(UswdsFormMixin, forms.Form):
    """A class as staff enter it. The host is one of the organizations the person works for
    (workshops.rules.can_create_for, which catalog.create_workshop checks again); it is fixed
    once the class exists. Co-hosts are any other partner, chosen by name."""

    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        validators=[validate_single_line],
        help_text=_("For example: Online Interviewing Tips."),
        error_messages={"required": _("Enter a title.")},
    )
    title_es = forms.CharField(
        label=_("Title in Spanish"),
        required=False,
        max_length=120,
        validators=[validate_single_line],
        help_text=_("Optional. People reading in Spanish see it; without it, they see the title."),
    )
    organization = forms.ModelChoiceField(
        label=_("Host organization"),
        queryset=Organization.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of your organizations.")},
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What people will learn, in plain words. Shown on the public calendar."),
    )
    description_es = forms.CharField(
        label=_("Description in Spanish"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Optional. People reading in Spanish see it; without it, they see the description."
        ),
    )
    audience = forms.CharField(
        label=_("Who it is for"),
        required=False,
        max_length=200,
        validators=[validate_single_line],
        help_text=_("For example: anyone with a job interview coming up."),
    )
    language = forms.ChoiceField(
        label=_("Language of the class"),
        choices=Language.choices,
        initial=Language.ENGLISH,
        error_messages={"invalid_choice": _("Choose a language from the list.")},
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs it helps with"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose needs from the list.")},
    )
    capacity = seats_field(
        _("Seats"),
        initial=12,
        help_text=_("Each new session gets this many seats; a session's seats can be changed."),
    )
    delivery = forms.ChoiceField(
        label=_("How it is given"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how the class is given."),
            "invalid_choice": _("Choose how the class is given."),
        },
    )
    materials = forms.CharField(
        label=_("What to bring"),
        required=False,
        max_length=300,
        validators=[validate_single_line],
        help_text=_("For example: a résumé, and a phone or computer with a camera."),
    )
    offer_hold_hours = forms.IntegerField(
        label=_("Hours a waitlist offer holds the seat"),
        initial=24,
        min_value=1,
        max_value=168,
        help_text=_(
            "When a seat frees up, the next person waiting is offered it for this long "
            "(never past the start)."
        ),
        error_messages={
            "required": _("Enter how many hours an offer holds the seat."),
            "invalid": _("Enter a whole number of hours, like 24."),
            "min_value": _("An offer must hold the seat for at least one hour."),
            "max_value": _("An offer can hold the seat for at most a week (168 hours)."),
        },
    )
    no_show_frees_later_seats = forms.BooleanField(
        label=_("Someone who does not come gives up their seats in later sessions"),
        required=False,
        help_text=_("Their later seats go to the people waiting."),
    )
    co_hosts = forms.ModelMultipleChoiceField(
        label=_("Co-hosts"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Partners who run the class with you. Their staff can change it too."),
        error_messages={"invalid_choice": _("Choose partners from the list.")},
    )
    flyer = forms.FileField(
        label=_("Flyer"),
        required=False,
        help_text=_("A PDF, PNG or JPEG file of at most 5 MB, for branches to print."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
        error_messages={"empty": flyers.EMPTY, "invalid": flyers.WRONG_KIND},
    )

    def __init__(
        self,
        *args,
        organizations: QuerySet[Organization],
        workshop=None,
        too_large: frozenset[str] = frozenset(),
        **kwargs,
    ):
        if workshop is not None:
            kwargs.setdefault("initial", _initial(workshop))
        super().__init__(*args, **kwargs)
        self.workshop = workshop
        self.too_large = too_large
        partners = Organization.objects.order_by("name", "pk")
        if workshop is not None:
            del self.fields["organization"]
            partners = partners.exclude(pk=workshop.organization_id)
        else:
            field = self.fields["organization"]
            field.queryset = organizations.order_by("name", "pk")
            only = list(field.queryset[:2])
            if len(only) == 1:
                field.widget = forms.HiddenInput()
                field.initial = only[0].pk
        self.fields["co_hosts"].queryset = partners
        # A plain file input, whose button the browser words in its own language; USWDS's
        # JavaScript file input writes "Drag file here or choose from folder" in English only.
        self.fields["flyer"].widget.attrs["class"] = "usa-input"

    @property
    def host(self) -> Organization | None:
        if self.workshop is not None:
            return self.workshop.organization
        return self.cleaned_data.get("organization")

    def clean_flyer(self):
        if "flyer" in self.too_large:
            raise ValidationError(flyers.TOO_LARGE, code="too_large")
        upload = self.cleaned_data.get("flyer")
        if upload:
            flyers.validate_flyer(upload)
        return upload

    def clean(self):
        data = super().clean()
        host = self.host
        if host is not None and any(o.pk == host.pk for o in data.get("co_hosts") or []):
            self.add_error("co_hosts", _("The host organization cannot also be a co-host."))
        return data

    def workshop_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": " ".join(data["title"].split()),
            "title_es": " ".join(data["title_es"].split()),
            "description": data["description"].strip(),
            "description_es": data["description_es"].strip(),
            "audience": data["audience"].strip(),
            "language": data["language"],
            "needs": [n for n in Need.values if n in data["needs"]],
            "capacity": data["capacity"],
            "delivery": data["delivery"],
            "materials": data["materials"].strip(),
            "offer_hold_hours": data["offer_hold_hours"],
            "no_show_frees_later_seats": data["no_show_frees_later_seats"],
            "co_hosts": list(data["co_hosts"]),
        }


def _initial(workshop) -> dict:
    return {
        "title": workshop.title,
        "title_es": workshop.title_es,
        "description": workshop.description,
        "description_es": workshop.description_es,
        "audience": workshop.audience,
        "language": workshop.language,
        "needs": list(workshop.needs),
        "capacity": workshop.capacity,
        "delivery": workshop.delivery,
        "materials": workshop.materials,
        "offer_hold_hours": workshop.offer_hold_hours,
        "no_show_frees_later_seats": workshop.no_show_frees_later_seats,
        "co_hosts": [o.pk for o in workshop.co_hosts.all()],
    }
