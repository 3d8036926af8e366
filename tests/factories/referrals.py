"""Referral rows written as they are, without the domain's checks, and the agreement that lets
two organizations refer to each other: for setting up the state a test starts from. Tests of
a change call the domain function itself."""

from datetime import time, timedelta

import factory
from django.utils import timezone

from jobhelp.organizations.models import OpeningHours
from jobhelp.partnerships.enums import AgreementStatus, PartyRole
from jobhelp.referrals.enums import ConsentMethod, Reason, ReferralState
from jobhelp.referrals.models import Consent, Referral
from tests.factories.directory import ServiceAtLocationFactory, ServiceFactory
from tests.factories.organizations import LocationFactory, OrganizationFactory
from tests.factories.partnerships import (
    AgreementFactory,
    PartnerFactory,
    PartnershipFactory,
    PartyFactory,
    signed,
)


def agreement_between(*organizations, status=AgreementStatus.EXECUTED):
    """A partnership whose agreement (executed by default) has these organizations as its
    parties, the first as the local board."""
    partnership = PartnershipFactory(convener=organizations[0])
    agreement = AgreementFactory(partnership=partnership, status=status)
    for i, organization in enumerate(organizations):
        PartnerFactory(partnership=partnership, organization=organization)
        party = PartyFactory(
            agreement=agreement,
            organization=organization,
            role=PartyRole.LOCAL_BOARD if i == 0 else PartyRole.ADDITIONAL_PARTNER,
        )
        if status == AgreementStatus.EXECUTED:
            signed(party)
    return agreement


def wioa_service(center, **fields):
    """The center's WIOA career services at its building, open weekdays 8 to 4:30."""
    location = center.locations.first() or LocationFactory(
        organization=center,
        name="WorkForce Center",
        street="1201 89th Ave NE",
        city="Blaine",
        postal_code="55434",
        phone="763-555-0150",
    )
    if not location.hours.exists():
        OpeningHours.objects.bulk_create(
            OpeningHours(location=location, weekday=d, opens=time(8), closes=time(16, 30))
            for d in range(5)
        )
    service = ServiceFactory(
        organization=center,
        name="WIOA career services",
        needs=["coaching", "applications"],
        phone="763-555-0150",
        **fields,
    )
    ServiceAtLocationFactory(service=service, location=location)
    return service


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    code = factory.Sequence(lambda n: f"R{n:05d}")
    from_organization = factory.SubFactory(OrganizationFactory)
    service = factory.SubFactory(ServiceFactory)
    to_organization = factory.SelfAttribute("service.organization")
    reason = Reason.PROGRAM
    need = "coaching"
    state = ReferralState.REQUESTED
    sent_at = factory.LazyFunction(timezone.now)
    respond_by = factory.LazyAttribute(lambda r: r.sent_at + timedelta(days=2))
    expires_at = factory.LazyAttribute(lambda r: r.sent_at + timedelta(days=14))
    language = "en"


class ConsentFactory(factory.django.DjangoModelFactory):
    """A spoken consent, given now, for thirty days, to the referral's receiving partner."""

    class Meta:
        model = Consent

    referral = factory.SubFactory(ReferralFactory)
    shared_with = factory.SelfAttribute("referral.to_organization")
    fields = factory.LazyFunction(lambda: ["name", "phone"])
    purpose = "So the partner can contact them."
    method = ConsentMethod.SPOKEN
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    confirmed_at = factory.LazyFunction(timezone.now)
    name = "Rosa Leak"
    phone = "+17635550188"
