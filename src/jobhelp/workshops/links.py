"""A registrant's secret link to their registration (core.links): issued with each message that
carries it, found by the public class pages."""

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from jobhelp.core import links
from jobhelp.workshops.models import Registration, RegistrationLink


def issue_link(registration: Registration) -> str:
    """A new secret link to `registration`, working as long as its details are kept; returns
    the token, which is not stored."""
    _link, token = links.issue(RegistrationLink, expires_at=None, registration=registration)
    return token


def registration_for_token(token: str, *, now: datetime | None = None) -> Registration:
    """The registration a link opens. Raises core.links.LinkUnknown for a link never issued,
    altered, or whose registration's details were erased, and core.links.LinkExpired once its
    class ended longer ago than RETENTION["links"] (the registration itself is kept longer, for
    staff, until RETENTION["registrations"])."""
    now = now or timezone.now()
    link = links.find(
        RegistrationLink.objects.select_related(
            "registration__session__workshop__organization",
            "registration__session__location__organization",
        ).filter(registration__erased_at__isnull=True),
        token,
    )
    if link.registration.session.ends < now - settings.RETENTION["links"]:
        raise links.LinkExpired(link)
    return link.registration
