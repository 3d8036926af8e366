"""The county of the seed in small: a workforce center and a library system with a branch and
an affiliate at a reduced level, in one partnership under an executed agreement; and, for leak
tests, another partnership of other organizations with data of every kind that could leak."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from jobhelp.accounts.enums import Role
from jobhelp.organizations.enums import OrganizationKind, ParticipationTier
from jobhelp.partnerships.enums import AgreementStatus, Frequency, ObligationKind, PartyRole
from jobhelp.partnerships.models import Agreement, Obligation, Partnership
from jobhelp.partnerships.obligations import add_months, sync_occurrences
from tests.factories.accounts import staff_member
from tests.factories.organizations import LocationFactory, OrganizationFactory
from tests.factories.partnerships import (
    COMPLETE_TERMS,
    ActionItemFactory,
    AgreementFactory,
    GrantFactory,
    LogEntryFactory,
    MeetingFactory,
    ObligationFactory,
    PartnerFactory,
    PartnershipFactory,
    PartyFactory,
    WorkforceCenterFactory,
    signed,
)


def term_start() -> date:
    """The fixture agreement's start: the first of this month a year ago."""
    now = timezone.localdate()
    return date(now.year - 1, now.month, 1)


def term_end() -> date:
    """Its renewal date: two years after its start, less a day."""
    return add_months(term_start(), 24) - timedelta(days=1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def center(db):
    center = WorkforceCenterFactory(name="Riverbend County WorkForce Center", slug="center")
    LocationFactory(organization=center, name="WorkForce Center", time_zone="America/Chicago")
    return center


@pytest.fixture
def affiliate(library):
    return OrganizationFactory(
        name="Harbor City Public Library",
        slug="harbor-city",
        kind=OrganizationKind.AFFILIATE,
        parent=library,
        participation_tier=ParticipationTier.REDUCED,
        accepts_public_requests=False,
    )


@pytest.fixture
def center_manager(center):
    return staff_member(center, Role.MANAGER, first_name="Carmen", last_name="Ortiz")


@pytest.fixture
def liaison(center):
    return staff_member(center, Role.LIAISON, first_name="Lee", last_name="Brooks")


@pytest.fixture
def affiliate_staff(affiliate):
    return staff_member(affiliate, Role.FRONT_DESK, first_name="Ari")


@pytest.fixture
def affiliate_manager(affiliate):
    return staff_member(affiliate, Role.MANAGER, first_name="Hana")


@pytest.fixture
def branch_staff(branch):
    return staff_member(branch, Role.FRONT_DESK, first_name="Bo")


@pytest.fixture
def partnership(center, library, affiliate) -> Partnership:
    partnership = PartnershipFactory(name="Riverbend job center and libraries", convener=center)
    PartnerFactory(partnership=partnership, organization=center)
    PartnerFactory(partnership=partnership, organization=library)
    PartnerFactory(partnership=partnership, organization=affiliate, tier=ParticipationTier.REDUCED)
    return partnership


@pytest.fixture
def agreement(partnership, center, library, affiliate) -> Agreement:
    """Executed, every required content filled in, three signed parties."""
    agreement = AgreementFactory(
        partnership=partnership,
        title="Riverbend one-stop MOU",
        status=AgreementStatus.EXECUTED,
        effective_from=term_start(),
        renewal_on=term_end(),
        **COMPLETE_TERMS,
    )
    signed(PartyFactory(agreement=agreement, organization=center, role=PartyRole.LOCAL_BOARD))
    signed(PartyFactory(agreement=agreement, organization=library))
    signed(
        PartyFactory(agreement=agreement, organization=affiliate, tier=ParticipationTier.REDUCED)
    )
    return agreement


@dataclass
class Obligations:
    tours: Obligation
    flyers: Obligation
    training: Obligation
    cards: Obligation


@pytest.fixture
def obligations(agreement, center, library) -> Obligations:
    """Tours and flyers (the reduced tier takes part), training and cards (it does not)."""
    made = Obligations(
        tours=ObligationFactory(
            agreement=agreement,
            title="Liaison tours of the job center",
            kind=ObligationKind.TOUR,
            owner_organization=center,
            frequency=Frequency.QUARTERLY,
            first_due_on=term_start(),
            reduced_tier_takes_part=True,
        ),
        flyers=ObligationFactory(
            agreement=agreement,
            title="Monthly workshop flyers",
            kind=ObligationKind.FLYERS,
            owner_organization=center,
            frequency=Frequency.MONTHLY,
            first_due_on=term_start(),
            reduced_tier_takes_part=True,
        ),
        training=ObligationFactory(
            agreement=agreement,
            title="Library e-resources training",
            kind=ObligationKind.TRAINING,
            owner_organization=library,
            frequency=Frequency.YEARLY,
            first_due_on=term_start(),
        ),
        cards=ObligationFactory(
            agreement=agreement,
            title="Five temporary library cards",
            kind=ObligationKind.CARDS,
            owner_organization=library,
            frequency=Frequency.ONCE,
            first_due_on=term_start() + timedelta(days=30),
        ),
    )
    for obligation in vars(made).values():
        sync_occurrences(obligation)
    return made


@dataclass
class Elsewhere:
    """Another partnership, of organizations none of our people act for, with one of each."""

    center: object
    library: object
    manager: object
    partnership: Partnership
    agreement: Agreement
    obligation: Obligation
    meeting: object
    action_item: object
    grant: object
    log_entry: object


@pytest.fixture
def elsewhere(other_library, outsider) -> Elsewhere:
    center = WorkforceCenterFactory(name="Elsewhere WorkForce Center", slug="elsewhere-center")
    partnership = PartnershipFactory(name="Elsewhere partnership", convener=center)
    PartnerFactory(partnership=partnership, organization=center)
    PartnerFactory(partnership=partnership, organization=other_library)
    agreement = AgreementFactory(
        partnership=partnership,
        status=AgreementStatus.EXECUTED,
        effective_from=term_start(),
        renewal_on=term_end(),
        **COMPLETE_TERMS,
    )
    signed(PartyFactory(agreement=agreement, organization=center, role=PartyRole.LOCAL_BOARD))
    signed(PartyFactory(agreement=agreement, organization=other_library))
    obligation = ObligationFactory(
        agreement=agreement,
        title="Elsewhere tours",
        owner_organization=center,
        first_due_on=term_start(),
        reduced_tier_takes_part=True,
    )
    sync_occurrences(obligation)
    meeting = MeetingFactory(partnership=partnership)
    manager = staff_member(center, Role.MANAGER)
    return Elsewhere(
        center=center,
        library=other_library,
        manager=manager,
        partnership=partnership,
        agreement=agreement,
        obligation=obligation,
        meeting=meeting,
        action_item=ActionItemFactory(meeting=meeting, owner=manager),
        grant=GrantFactory(partnership=partnership),
        log_entry=LogEntryFactory(partnership=partnership, liaison=manager),
    )


def today() -> date:
    return timezone.localdate()


def days_ago(n: int) -> date:
    return today() - timedelta(days=n)
