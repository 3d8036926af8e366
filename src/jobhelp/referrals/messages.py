"""Who is told what about a referral, through the one outbox, inside the caller's transaction
(nothing goes out unless the change commits).

- **The other side** by email, in each person's language: the receiving organization of a new
  referral, of a cancellation and of consent given or withdrawn (the person who accepted it;
  before that, the service's referral address from the directory's staff-only details; else
  the organization's managers); the person who sent it of every answer and change.
- **The patron**, when they chose to hear of changes (`notify_patron`), by the channel of their
  request (intake.patrons.patron_address: email, or a text), in their language.

No message to staff carries the person's details: each names the referral's code and service
and links to the staff page, where referrals.sharing decides what the reader sees.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.tenancy import above_and_self
from jobhelp.directory.models import ServiceStaffDetails
from jobhelp.intake.patrons import PatronAddress, patron_address
from jobhelp.notifications.enums import MessageChannel
from jobhelp.notifications.outbox import queue_message
from jobhelp.referrals.models import Referral

# The notice to the other organization's staff that a referral changed state: it names the
# referral's code, service, organization, state and reason, and links to the staff page, never
# the person, so the person's erasure leaves it (and a cancellation or decline it caused is
# still announced). The notice of a new referral says what the person needs: not kept.
STATE_NOTICES = frozenset({"referral_changed"})

# States the patron hears about (when they chose to): the answer and the end.
PATRON_TOLD = frozenset({"accepted", "declined", "completed", "cancelled", "expired"})


def staff_url(referral: Referral) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse(
        "staff:referrals:detail", args=[referral.code]
    )


def consent_url(token: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("public:referrals:consent", args=[token])


def _receiving_people(referral: Referral) -> list[tuple[str, str]]:
    """(address, language) of who hears for the receiving organization."""
    accepted_by = referral.accepted_by
    if accepted_by is not None and accepted_by.is_active and accepted_by.email:
        return [(accepted_by.email, accepted_by.preferred_language)]
    details = ServiceStaffDetails.objects.filter(service_id=referral.service_id).first()
    if details is not None and details.referral_email:
        return [(details.referral_email, settings.LANGUAGE_CODE)]
    managers = (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organization_id__in=above_and_self(referral.to_organization),
            memberships__role__in=sorted(MANAGING_ROLES),
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    return [(m.email, m.preferred_language) for m in managers]


def tell_receiver(referral: Referral, *, template: str, context: dict, by=None) -> int:
    """Email the receiving organization's people (not the person who acted); returns how
    many messages were queued."""
    sent = 0
    for address, language in _receiving_people(referral):
        if by is not None and address == getattr(by, "email", None):
            continue
        queue_message(
            to=address,
            template=template,
            context={"referral": referral, "staff_url": staff_url(referral), **context},
            language=language,
            organization=referral.to_organization,
            related=referral,
        )
        sent += 1
    return sent


def tell_sender(referral: Referral, *, template: str, context: dict, by=None) -> int:
    person = referral.sent_by
    if person is None or not person.is_active or not person.email or person == by:
        return 0
    queue_message(
        to=person.email,
        template=template,
        context={"referral": referral, "staff_url": staff_url(referral), **context},
        language=person.preferred_language,
        organization=referral.from_organization,
        related=referral,
    )
    return 1


def patron_channel(referral: Referral) -> PatronAddress | None:
    """Where the patron of a referral made from a request can be written to, if anywhere."""
    if referral.request is None:
        return None
    return patron_address(referral.request)


def to_patron(referral: Referral, address: PatronAddress, *, template: str, context: dict):
    return queue_message(
        to=address.to,
        channel=address.channel,
        template=template,
        context={"referral": referral, **context},
        language=referral.language or settings.LANGUAGE_CODE,
        organization=referral.from_organization,
        related=referral,
    )


def tell_patron(referral: Referral, *, state: str) -> None:
    """The patron who chose to hear of changes hears of the answer and of the end."""
    if not referral.notify_patron or state not in PATRON_TOLD:
        return
    address = patron_channel(referral)
    if address is None:
        return
    to_patron(referral, address, template="referral_patron_update", context={"state": state})


def text_to(phone: str) -> PatronAddress:
    """A phone number typed for one message (a walk-in's slip or consent link): never kept on
    the referral; the outbox keeps it as its recipient until the retention period ends."""
    return PatronAddress(MessageChannel.SMS, phone)
