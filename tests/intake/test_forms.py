import pytest
from django.utils import translation

from jobhelp.accounts.enums import Role
from jobhelp.accounts.tenancy import organizations_for
from jobhelp.intake.domain import RequestDetails
from jobhelp.intake.forms import PublicHelpRequestForm, StaffHelpRequestForm
from jobhelp.organizations.models import Location
from jobhelp.organizations.queries import locations_for_public_form
from tests.factories.accounts import staff_member
from tests.factories.organizations import LocationFactory

INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."
HIDDEN_CHARACTERS = "This contains hidden special characters. Please type it again."
WORKING_PHONE = "That does not look like a working phone number. Check the area code and digits."
PHONE_EXAMPLE = "Enter a phone number with area code, for example 763-555-0123."
REQUIRED = "This field is required."
TEXT_WITHOUT_PHONE = (
    "You chose text messages; please add a mobile phone number above, or choose another way."
)


def valid_data(**overrides) -> dict:
    data = {
        "name": "Rosa",
        "phone": "763-555-0123",
        "email": "rosa@example.com",
        "preferred_contact": "phone",
        "best_time": "any",
        "needs": ["resume"],
        "language": "en",
        "preferred_location": "",
        "modality": "phone",
        "note": "",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def public_form(library, **overrides) -> PublicHelpRequestForm:
    return PublicHelpRequestForm(
        valid_data(**overrides), locations=locations_for_public_form(library)
    )


def staff_form(user, **overrides) -> StaffHelpRequestForm:
    organizations = organizations_for(user).order_by("name")
    locations = Location.objects.filter(organization__in=organizations, is_active=True)
    data = valid_data(**{"channel": "phone", "organization": str(organizations[0].pk), **overrides})
    return StaffHelpRequestForm(data, organizations=organizations, locations=locations)


# Bad input shared by both forms: (field, overrides, exact errors on that field).
SHARED_BAD_INPUT = [
    pytest.param(
        "name",
        {"name": "x" * 10_000},
        ["Ensure this value has at most 120 characters (it has 10000)."],
        id="name-10000-characters",
    ),
    pytest.param("name", {"name": ""}, [REQUIRED], id="name-empty"),
    pytest.param("name", {"name": "   "}, [REQUIRED], id="name-only-spaces"),
    pytest.param("name", {"name": "Ro\x00sa"}, [HIDDEN_CHARACTERS], id="name-null"),
    pytest.param("name", {"name": "Ro\x07sa"}, [HIDDEN_CHARACTERS], id="name-bell"),
    pytest.param("name", {"name": "Rosa\x1b[2J"}, [HIDDEN_CHARACTERS], id="name-escape"),
    pytest.param(
        "name",
        {"name": "Rosa\r\nBcc: x@example.com"},
        ["Please keep this on one line."],
        id="name-header-injection-crlf",
    ),
    pytest.param(
        "name",
        {"name": "Rosa\nBcc: x@example.com"},
        ["Please keep this on one line."],
        id="name-header-injection-lf",
    ),
    pytest.param(
        "name",
        {"name": "Rosa\u2028Bcc: x@example.com"},
        ["Please keep this on one line."],
        id="name-unicode-line-separator",
    ),
    pytest.param(
        "name",
        {"name": "12345 !!"},
        ["Please enter a name with at least one letter."],
        id="name-no-letters",
    ),
    pytest.param("phone", {"phone": "123"}, [WORKING_PHONE], id="phone-too-short"),
    pytest.param("phone", {"phone": "555-201-3344"}, [WORKING_PHONE], id="phone-no-area-code"),
    pytest.param("phone", {"phone": "call me maybe"}, [PHONE_EXAMPLE], id="phone-letters"),
    pytest.param(
        "phone",
        {"phone": "7" * 41},
        ["Ensure this value has at most 40 characters (it has 41)."],
        id="phone-41-characters",
    ),
    pytest.param("phone", {"phone": "763\x00555-0123"}, [HIDDEN_CHARACTERS], id="phone-null"),
    pytest.param("phone", {"phone": "763\x07555-0123"}, [HIDDEN_CHARACTERS], id="phone-bell"),
    pytest.param(
        "email", {"email": "rosa-at-example.com"}, ["Enter a valid email address."], id="email"
    ),
    pytest.param(
        "email",
        {"email": "rosa@example.com\r\nBcc: x@example.com"},
        ["Enter a valid email address."],
        id="email-header-injection",
    ),
    pytest.param(
        "phone",
        {"phone": "", "email": ""},
        ["Give a phone number or an email address so we can reach you."],
        id="no-phone-and-no-email",
    ),
    pytest.param(
        "phone",
        {"phone": "   ", "email": "  "},
        ["Give a phone number or an email address so we can reach you."],
        id="blank-phone-and-blank-email",
    ),
    pytest.param(
        "preferred_contact",
        {"phone": "", "preferred_contact": "phone"},
        ["You chose phone; please add a phone number above, or choose email."],
        id="preferred-phone-without-phone",
    ),
    pytest.param(
        "preferred_contact",
        {"email": "", "preferred_contact": "email"},
        ["You chose email; please add an email address above, or choose phone."],
        id="preferred-email-without-email",
    ),
    pytest.param(
        "preferred_contact",
        {"phone": "", "preferred_contact": "text"},
        [TEXT_WITHOUT_PHONE],
        id="preferred-text-without-phone",
    ),
    pytest.param(
        "preferred_contact",
        {"phone": "   ", "preferred_contact": "text"},
        [TEXT_WITHOUT_PHONE],
        id="preferred-text-with-a-blank-phone",
    ),
    pytest.param(
        "preferred_contact",
        {"preferred_contact": "pigeon"},
        ["Select a valid choice. pigeon is not one of the available choices."],
        id="preferred-contact-unknown",
    ),
    pytest.param(
        "best_time",
        {"best_time": "midnight"},
        ["Select a valid choice. midnight is not one of the available choices."],
        id="best-time-unknown",
    ),
    pytest.param(
        "needs",
        {"needs": None},
        ["Choose at least one thing you need help with."],
        id="no-needs",
    ),
    pytest.param(
        "needs",
        {"needs": ["resume", "lottery"]},
        ["Select a valid choice. lottery is not one of the available choices."],
        id="unknown-need",
    ),
    pytest.param(
        "language",
        {"language": "klingon"},
        ["Select a valid choice. klingon is not one of the available choices."],
        id="unknown-language",
    ),
    pytest.param("language", {"language": ""}, [REQUIRED], id="no-language"),
    pytest.param(
        "modality",
        {"modality": "carrier_pigeon"},
        ["Select a valid choice. carrier_pigeon is not one of the available choices."],
        id="unknown-modality",
    ),
    pytest.param(
        "preferred_location", {"preferred_location": "999999"}, [INVALID_CHOICE], id="no-location"
    ),
    pytest.param(
        "preferred_location",
        {"preferred_location": "north"},
        [INVALID_CHOICE],
        id="location-not-a-number",
    ),
    pytest.param(
        "note",
        {"note": "x" * 2001},
        ["Ensure this value has at most 2000 characters (it has 2001)."],
        id="note-2001-characters",
    ),
    pytest.param("note", {"note": "fired\x00"}, [HIDDEN_CHARACTERS], id="note-null"),
    pytest.param("note", {"note": "fired\x07"}, [HIDDEN_CHARACTERS], id="note-bell"),
    pytest.param("note", {"note": "fired\x1b[31m"}, [HIDDEN_CHARACTERS], id="note-escape"),
    pytest.param(
        "consent",
        {"consent": None},
        ["Please agree to the privacy notice so we can help you."],
        id="no-consent",
    ),
]


@pytest.mark.parametrize(("field", "overrides", "errors"), SHARED_BAD_INPUT)
def test_public_form_rejects_bad_input(library, field, overrides, errors):
    form = public_form(library, **overrides)

    assert form.is_valid() is False
    assert form.errors == {field: errors}


@pytest.mark.parametrize(("field", "overrides", "errors"), SHARED_BAD_INPUT)
def test_staff_form_rejects_bad_input(front_desk, field, overrides, errors):
    form = staff_form(front_desk, **overrides)

    assert form.is_valid() is False
    assert form.errors == {field: errors}


def test_public_form_refuses_a_location_of_another_organization(library, central, other_library):
    elsewhere = LocationFactory(organization=other_library, name="Elsewhere Library")

    form = public_form(library, preferred_location=str(elsewhere.pk))

    assert form.is_valid() is False
    assert form.errors == {"preferred_location": [INVALID_CHOICE]}


def test_public_form_refuses_a_closed_location(library):
    closed = LocationFactory(organization=library, is_active=False)

    form = public_form(library, preferred_location=str(closed.pk))

    assert form.is_valid() is False
    assert form.errors == {"preferred_location": [INVALID_CHOICE]}


def test_public_form_accepts_a_branch_location(library, branch):
    northtown = branch.locations.get()

    form = public_form(library, preferred_location=str(northtown.pk))

    assert form.errors == {}
    assert form.cleaned_data["preferred_location"] == northtown


def test_staff_form_refuses_a_location_of_another_organization(front_desk, other_library):
    elsewhere = LocationFactory(organization=other_library)

    form = staff_form(front_desk, preferred_location=str(elsewhere.pk))

    assert form.is_valid() is False
    assert form.errors == {"preferred_location": [INVALID_CHOICE]}


def test_public_form_honeypot_filled(library):
    form = public_form(library, homepage="https://spam.example.com")

    assert form.is_valid() is False
    assert form.errors == {"homepage": ["Please leave this field empty."]}


@pytest.mark.parametrize(
    ("channel", "errors"),
    [
        ("web", ["Select a valid choice. web is not one of the available choices."]),
        ("fax", ["Select a valid choice. fax is not one of the available choices."]),
        (None, [REQUIRED]),
    ],
)
def test_staff_form_channel(front_desk, channel, errors):
    form = staff_form(front_desk, channel=channel)

    assert form.is_valid() is False
    assert form.errors == {"channel": errors}


def test_staff_form_refuses_an_organization_the_user_does_not_work_for(front_desk, other_library):
    form = staff_form(front_desk, organization=str(other_library.pk))

    assert form.is_valid() is False
    assert form.errors == {"organization": [INVALID_CHOICE]}


def test_staff_form_requires_an_organization_from_someone_in_several(library, other_library):
    user = staff_member(library, Role.FRONT_DESK)
    user.memberships.create(organization=other_library, role=Role.FRONT_DESK)

    form = staff_form(user, organization="")

    assert form.is_valid() is False
    assert form.errors == {"organization": [REQUIRED]}


def test_staff_form_accepts_a_branch_of_the_users_library(front_desk, branch):
    form = staff_form(front_desk, organization=str(branch.pk))

    assert form.errors == {}
    assert form.cleaned_data["organization"] == branch


def test_staff_form_has_no_honeypot(front_desk):
    form = staff_form(front_desk, homepage="https://spam.example.com")

    assert form.errors == {}
    assert "homepage" not in form.fields


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("(763) 555-0123", "+17635550123"),
        ("763-555-0123", "+17635550123"),
        ("763.555.0123", "+17635550123"),
        ("7635550123", "+17635550123"),
        ("1 763 555 0123", "+17635550123"),
        ("+1 763-555-0123", "+17635550123"),
        ("  763 555 0123  ", "+17635550123"),
        ("+52 55 1234 5678", "+525512345678"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_is_stored_in_international_form(library, typed, stored):
    form = public_form(library, phone=typed)

    assert form.errors == {}
    assert form.cleaned_data["phone"] == stored


def test_valid_form_gives_cleaned_details(library, central):
    form = public_form(
        library,
        name="  Rosa   María  ",
        phone="(763) 555-0123",
        email=" Rosa@Example.COM ",
        preferred_contact="email",
        best_time="evening",
        voicemail_ok="on",
        needs=["resume", "digital"],
        language="es",
        preferred_location=str(central.pk),
        modality="in_person",
        note="  Line one.\r\nLine two.\t ",
    )

    assert form.errors == {}
    assert form.details() == RequestDetails(
        name="Rosa María",
        phone="+17635550123",
        email="rosa@example.com",
        preferred_contact="email",
        best_time="evening",
        voicemail_ok=True,
        needs=["resume", "digital"],
        language="es",
        preferred_location=central,
        modality="in_person",
        note="Line one.\r\nLine two.",
    )


def test_email_alone_is_enough(library):
    form = public_form(library, phone="", preferred_contact="email")

    assert form.errors == {}
    assert (form.cleaned_data["phone"], form.cleaned_data["email"]) == ("", "rosa@example.com")


def test_phone_alone_is_enough(front_desk):
    form = staff_form(front_desk, email="", preferred_contact="phone")

    assert form.errors == {}
    assert (form.cleaned_data["phone"], form.cleaned_data["email"]) == ("+17635550123", "")


@pytest.mark.parametrize(("sent", "cleaned"), [(None, False), ("on", True), ("false", False)])
def test_voicemail_is_optional(library, sent, cleaned):
    form = public_form(library, voicemail_ok=sent)

    assert form.errors == {}
    assert form.cleaned_data["voicemail_ok"] is cleaned


def test_several_mistakes_are_reported_together_and_nothing_else(library):
    form = public_form(
        library, name="", phone="123", email="nope", needs=None, consent=None, language="xx"
    )

    assert form.errors == {
        "name": [REQUIRED],
        "phone": [WORKING_PHONE],
        "email": ["Enter a valid email address."],
        "needs": ["Choose at least one thing you need help with."],
        "language": ["Select a valid choice. xx is not one of the available choices."],
        "consent": ["Please agree to the privacy notice so we can help you."],
    }


@pytest.mark.parametrize("make_form", [public_form, staff_form], ids=["public", "staff"])
def test_texts_without_any_contact_detail_say_both_things(library, front_desk, make_form):
    form = make_form(
        library if make_form is public_form else front_desk,
        phone="",
        email="",
        preferred_contact="text",
    )

    assert form.is_valid() is False
    assert form.errors == {
        "phone": ["Give a phone number or an email address so we can reach you."],
        "preferred_contact": [TEXT_WITHOUT_PHONE],
    }


def test_texts_without_a_phone_are_refused_in_spanish(library):
    with translation.override("es"):
        form = public_form(library, phone="", email="", preferred_contact="text", language="es")
        errors = [str(error) for error in form.errors["preferred_contact"]]

    assert errors == [
        "Usted eligió mensajes de texto. Por favor, escriba un número de teléfono celular "
        "arriba, o elija otra forma."
    ]


@pytest.mark.parametrize("make_form", [public_form, staff_form], ids=["public", "staff"])
def test_texts_with_a_phone_and_no_email_are_accepted(library, front_desk, make_form):
    form = make_form(
        library if make_form is public_form else front_desk,
        phone="(763) 555-0123",
        email="",
        preferred_contact="text",
    )

    assert form.errors == {}
    assert (form.cleaned_data["preferred_contact"], form.cleaned_data["phone"]) == (
        "text",
        "+17635550123",
    )
