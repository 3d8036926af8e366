"""Every kind of personal data has a period in settings, and secret links stop working when
theirs ends: a class registration's link 30 days (RETENTION["links"]) after the class, even
though staff keep the registration until RETENTION["registrations"]."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from jobhelp.core import links
from jobhelp.core.links import LinkExpired
from jobhelp.workshops.links import registration_for_token
from jobhelp.workshops.models import RegistrationLink
from tests.factories.workshops import RegistrationFactory, WorkshopSessionFactory

pytestmark = pytest.mark.django_db


def test_every_kind_of_personal_data_has_a_period():
    assert set(settings.RETENTION) >= {
        "requests",
        "notes",
        "registrations",
        "messages",
        "referrals",
        "links",
        "computer_counts",
        "rate_limits",
    }
    assert all(period > timedelta(0) for period in settings.RETENTION.values())


@pytest.fixture
def registration_link(library):
    ends = timezone.now() - timedelta(days=1)
    session = WorkshopSessionFactory(
        workshop__organization=library, starts=ends - timedelta(hours=1), ends=ends
    )
    registration = RegistrationFactory(session=session)
    _, token = links.issue(RegistrationLink, expires_at=None, registration=registration)
    return registration, token


def test_a_registration_link_ends_with_its_period_on_a_controlled_clock(
    registration_link, retention
):
    registration, token = registration_link
    retention(links=30)
    ends = registration.session.ends
    assert registration_for_token(token, now=ends + timedelta(days=29)) == registration
    with pytest.raises(LinkExpired):
        registration_for_token(token, now=ends + timedelta(days=30, seconds=1))
    # Sixty days after the class: expired, though the registration is still kept for staff.
    with pytest.raises(LinkExpired):
        registration_for_token(token, now=ends + timedelta(days=60))
    registration.refresh_from_db()
    assert registration.name and registration.erased_at is None


def test_the_page_behind_an_expired_link_says_so(client, registration_link, retention):
    registration, token = registration_link
    retention(links=30)
    assert client.get(f"/classes/registration/{token}/").status_code == 200
    registration.session.__class__.objects.filter(pk=registration.session.pk).update(
        starts=timezone.now() - timedelta(days=60, hours=1),
        ends=timezone.now() - timedelta(days=60),
    )
    response = client.get(f"/classes/registration/{token}/")
    assert response.status_code == 410
    assert registration.name not in response.content.decode()


@pytest.mark.parametrize(("language", "heading"), [("en", "Kept for"), ("es", "Se guarda")])
def test_the_privacy_notice_reads_the_periods_from_the_settings(
    client, retention, language, heading
):
    retention(requests=45, links=12)
    response = client.get("/privacy/", headers={"accept-language": language})
    page = response.content.decode()
    assert heading in page
    assert ("45 days" if language == "en" else "45 días") in page
    assert ("12 days" if language == "en" else "12 días") in page
