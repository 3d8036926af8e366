"""One patron, Rosa, with something in every app that keeps personal data, in the library
system and its branch; a neighbour at the same library who must keep everything; and a request
with Rosa's own phone number at another library system, which the library's privacy officer
neither sees nor erases."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from jobhelp.casework.models import FeedbackInvitation
from jobhelp.core import links
from jobhelp.intake.models import ContactAttempt, RequestNote
from jobhelp.notifications.models import OutboundMessage
from jobhelp.scheduling.models import PatronLink
from jobhelp.workshops.models import RegistrationLink
from tests.factories.casework import FeedbackResponseFactory, FollowUpFactory, HelpSessionFactory
from tests.factories.intake import HelpRequestFactory
from tests.factories.organizations import LocationFactory
from tests.factories.referrals import ConsentFactory, ReferralFactory
from tests.factories.scheduling import AppointmentFactory
from tests.factories.workshops import RegistrationFactory, WorkshopFactory, WorkshopSessionFactory

PHONE = "+17635550188"
EMAIL = "rosa.leakwell@example.org"
NAME = "Rosa Leakwell"
NOTE = "Laid off from the Anoka plant in May."


@dataclass
class Rosa:
    request: object
    branch_request: object
    neighbour: object
    elsewhere: object
    appointment: object
    session: object
    follow_up: object
    feedback: object
    registration: object
    referral: object
    consent: object
    email: object
    text: object
    neighbour_message: object
    links: dict


def message(request, to, *, channel="email", attachment=""):
    return OutboundMessage.objects.create(
        channel=channel,
        to=to,
        language="en",
        template="request_received",
        subject="We got your request",
        body=f"Hello {NAME}",
        attachment=attachment,
        attachment_name="appointment.ics" if attachment else "",
        organization=request.organization,
        content_type=ContentType.objects.get_for_model(request),
        object_id=str(request.pk),
    )


def build_rosa(library, branch, other_library, helper) -> Rosa:
    request = HelpRequestFactory(
        organization=library, reference="ROSA22", name=NAME, phone=PHONE, email=EMAIL, note=NOTE
    )
    RequestNote.objects.create(request=request, author=helper, text="Prefers mornings; Anoka.")
    ContactAttempt.objects.create(
        request=request, by=helper, channel="phone", outcome="voicemail", note="Anoka voicemail"
    )
    # Found by the phone number alone, at the branch.
    branch_request = HelpRequestFactory(organization=branch, name="Rosa L.", phone=PHONE)
    neighbour = HelpRequestFactory(
        organization=library, name="Nadia Neighbour", phone="+17635550199", note="Keep me"
    )
    elsewhere = HelpRequestFactory(
        organization=other_library, name=NAME, phone=PHONE, note="Elsewhere's own"
    )
    location = LocationFactory(organization=library)
    appointment = AppointmentFactory(
        request=request,
        helper=helper,
        location=location,
        starts=timezone.now() + timedelta(days=2),
        appointment_type__organization=library,
    )
    _, appointment_token = links.issue(
        PatronLink, expires_at=timezone.now() + timedelta(days=9), appointment=appointment
    )
    session = HelpSessionFactory(request=request, helper=helper, private_note="Anoka; anxious.")
    follow_up = FollowUpFactory(session=session, note="Call Rosa about Anoka")
    feedback = FeedbackResponseFactory(session=session, comment="Rosa says thanks", may_quote=True)
    _, feedback_token = links.issue(
        FeedbackInvitation, expires_at=timezone.now() + timedelta(days=9), session=session
    )
    class_session = WorkshopSessionFactory(workshop=WorkshopFactory(organization=library))
    registration = RegistrationFactory(
        session=class_session, name=NAME, phone=PHONE, email=EMAIL, person_key=PHONE
    )
    _, registration_token = links.issue(
        RegistrationLink, expires_at=None, registration=registration
    )
    referral = ReferralFactory(
        from_organization=library, request=request, note="Rosa, Anoka plant", language="es"
    )
    consent = ConsentFactory(referral=referral, name=NAME, phone=PHONE, notes="Anoka plant")
    return Rosa(
        request=request,
        branch_request=branch_request,
        neighbour=neighbour,
        elsewhere=elsewhere,
        appointment=appointment,
        session=session,
        follow_up=follow_up,
        feedback=feedback,
        registration=registration,
        referral=referral,
        consent=consent,
        email=message(request, EMAIL, attachment="BEGIN:VCALENDAR\nSUMMARY:Rosa\nEND:VCALENDAR"),
        text=message(branch_request, PHONE, channel="sms"),
        neighbour_message=message(neighbour, "+17635550199", channel="sms"),
        links={
            "appointment": appointment_token,
            "feedback": feedback_token,
            "registration": registration_token,
        },
    )


@pytest.fixture
def rosa(library, branch, other_library, helper) -> Rosa:
    return build_rosa(library, branch, other_library, helper)
