"""What partners' staff are told, through the one outbox (notifications.outbox), each in their
own language (User.preferred_language), by email. Staff messages carry no partner's private
details beyond the agreement's or meeting's title and dates; the rest is in the staff area.

Reminders carry a dedupe key, so each goes out once however often the periodic jobs run.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import translation

from jobhelp.accounts.enums import MANAGING_ROLES
from jobhelp.accounts.models import Membership
from jobhelp.accounts.tenancy import above_and_self
from jobhelp.notifications.outbox import message_language, queue_message
from jobhelp.partnerships import ics


def staff_url() -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("staff:home")


def party_managers(agreement) -> QuerySet:
    """Active staff who manage one of the agreement's parties (or the library system above
    one), each once."""
    organization_ids: set[int] = set()
    for party in agreement.parties.select_related("organization"):
        organization_ids.update(above_and_self(party.organization))
    managing = Membership.objects.filter(
        user=OuterRef("pk"), organization_id__in=organization_ids, role__in=MANAGING_ROLES
    )
    return (
        get_user_model()
        .objects.filter(Exists(managing), is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def _to_staff(
    user, template: str, context: dict, *, organization, related, key=None, calendar=None
):
    attachment = (ics.FILE_NAME, ics.CONTENT_TYPE, calendar) if calendar else None
    return queue_message(
        to=user.email,
        template=template,
        context={"recipient": user, "staff_url": staff_url(), **context},
        language=user.preferred_language,
        organization=organization,
        related=related,
        dedupe_key=key,
        attachment=attachment,
    )


def renewal_reminder_key(agreement, *, days: int, user) -> str:
    # The renewal date is in the key: an agreement amended to a new date is reminded again.
    return f"agreement-renewal:{agreement.pk}:{agreement.renewal_on:%Y%m%d}:{days}:{user.pk}"


def renewal_reminders(agreement, *, days: int) -> int:
    """Remind every manager of a party that `agreement` renews in `days` days. Returns how
    many messages were queued (none for those already reminded)."""
    queued = 0
    for user in party_managers(agreement):
        message = _to_staff(
            user,
            "agreement_renewal_reminder",
            {"agreement": agreement, "days": days},
            organization=agreement.partnership.convener,
            related=agreement,
            key=renewal_reminder_key(agreement, days=days, user=user),
        )
        queued += message is not None
    return queued


def signatures_reopened(agreement, amendment) -> int:
    """Tell the parties' managers that a major amendment needs every party's signature again."""
    queued = 0
    for user in party_managers(agreement):
        message = _to_staff(
            user,
            "agreement_signatures_reopened",
            {"agreement": agreement, "amendment": amendment},
            organization=agreement.partnership.convener,
            related=agreement,
        )
        queued += message is not None
    return queued


def meeting_notice(meeting, users, *, template: str) -> int:
    """Send each of `users` (attendees with an email address) the meeting's notice with its
    calendar file, both in their language: ``meeting_scheduled``, ``meeting_changed`` or
    ``meeting_cancelled``."""
    queued = 0
    for user in users:
        if not user.email or not user.is_active:
            continue
        with translation.override(message_language(user.preferred_language)):
            calendar = ics.meeting_calendar(meeting)
        message = _to_staff(
            user,
            template,
            {
                "meeting": meeting,
                "when": meeting.starts.astimezone(meeting.location.zone),
                "where": ics.where(meeting),
            },
            organization=meeting.partnership.convener,
            related=meeting,
            calendar=calendar,
        )
        queued += message is not None
    return queued


def action_item_reminder_key(item, *, days: int) -> str:
    return f"action-item:{item.pk}:{item.due_on:%Y%m%d}:{days}:{item.owner_id}"


def action_item_reminder(item, *, days: int):
    """Remind the owner of an open action item `days` days before its due date (0: on the
    day). Returns the message, or None if it was already sent or they have no address."""
    owner = item.owner
    if not owner.email or not owner.is_active:
        return None
    return _to_staff(
        owner,
        "action_item_reminder",
        {"item": item, "meeting": item.meeting, "days": days},
        organization=item.owner_organization,
        related=item,
        key=action_item_reminder_key(item, days=days),
    )
