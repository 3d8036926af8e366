"""Partnership rows written as they are, without the domain modules' checks: for setting up
the state a test starts from. Tests of a change call the domain function itself."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from jobhelp.organizations.enums import OrganizationKind, ParticipationTier
from jobhelp.partnerships.enums import (
    Activity,
    AgreementStatus,
    Frequency,
    ObligationKind,
    PartyRole,
)
from jobhelp.partnerships.models import (
    ActionItem,
    Agreement,
    CostShare,
    Grant,
    LogEntry,
    Meeting,
    Obligation,
    Occurrence,
    Partner,
    Partnership,
    Party,
)
from tests.factories.accounts import UserFactory
from tests.factories.organizations import LocationFactory, OrganizationFactory


class WorkforceCenterFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"County WorkForce Center {n}")
    slug = factory.Sequence(lambda n: f"workforce-{n}")
    kind = OrganizationKind.WORKFORCE_CENTER


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Job center and library partnership {n}")
    convener = factory.SubFactory(WorkforceCenterFactory)
    expected_liaison_minutes = 120


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    partnership = factory.SubFactory(PartnershipFactory)
    organization = factory.SubFactory(OrganizationFactory)
    tier = ParticipationTier.FULL


# The terms every required MOU content needs (partnerships.checklist), filled in.
COMPLETE_TERMS = {
    "services_coordination": "Referrals both ways; one calendar of workshops.",
    "referral_methods": "Referral slips and a warm handoff by phone.",
    "needs_disability": "Accessible computers at every branch; interpreters on request.",
    "needs_language": "Spanish and Somali speaking staff; translated flyers.",
    "needs_technology": "Public computers, wifi and printing at every library.",
    "cost_allocation_method": "In proportion to square feet used and visitors served.",
    "data_sharing": "Only counts; no patron records.",
    "dispute_resolution": "The directors meet; then the board chair decides.",
    "amendment_procedure": "In writing, signed by every party.",
    "chief_elected_official": "Pat Jones, Chair of the County Board",
    "chief_elected_official_agreed_on": date(2025, 6, 1),
}


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"One-stop MOU {n}")
    status = AgreementStatus.DRAFT
    effective_from = date(2025, 7, 1)
    renewal_on = date(2027, 6, 30)
    review_cycle_months = 36


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    agreement = factory.SubFactory(AgreementFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = PartyRole.ADDITIONAL_PARTNER
    tier = ParticipationTier.FULL
    services = "Computers and classes."


class CostShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostShare

    party = factory.SubFactory(PartyFactory)
    category = "infrastructure"
    contribution = "in_kind"
    description = "Space for the resource shelf."


def signed(party: Party, day: date = date(2025, 6, 15)) -> Party:
    party.signatory_name = "Alex Director"
    party.signatory_title = "Director"
    party.signed_on = day
    party.save()
    return party


class ObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Obligation

    agreement = factory.SubFactory(AgreementFactory)
    title = factory.Sequence(lambda n: f"Obligation {n}")
    kind = ObligationKind.OTHER
    owner_organization = factory.SubFactory(OrganizationFactory)
    frequency = Frequency.MONTHLY
    first_due_on = date(2025, 7, 1)


class OccurrenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occurrence

    obligation = factory.SubFactory(ObligationFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting written as it is, without schedule_meeting's checks; next week by default."""

    class Meta:
        model = Meeting

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Quarterly management meeting {n}")
    location = factory.SubFactory(
        LocationFactory, organization=factory.SelfAttribute("..partnership.convener")
    )
    starts = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends = factory.LazyAttribute(lambda m: m.starts + timedelta(minutes=90))


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Send the flyer list {n}")
    owner = factory.SubFactory(UserFactory)
    owner_organization = factory.SelfAttribute("meeting.partnership.convener")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))


class GrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grant

    partnership = factory.SubFactory(PartnershipFactory)
    funder = "State Library Services"
    opportunity = factory.Sequence(lambda n: f"Digital skills grant {n}")
    lead_organization = factory.SelfAttribute("partnership.convener")


class LogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LogEntry

    partnership = factory.SubFactory(PartnershipFactory)
    liaison = factory.SubFactory(UserFactory)
    organization = factory.SelfAttribute("partnership.convener")
    occurred_on = factory.LazyFunction(timezone.localdate)
    activity = Activity.TOUR
    minutes = 30
