"""The data every row of the role x view matrix acts on: a library system with a branch, a
workforce center, another library system (the outsider's), and in the library system one of
everything a page can show: a request assigned to the helper with an appointment, a help
session with a follow-up and an answered survey, a routing rule, a class with a session and a
registration, and the patron's secret links; the partnership of the library system and the
workforce center with one of everything of its own (build_hub); and a referral of the request to
the workforce center's WIOA career services under the partners' agreement, with the patron's
spoken consent and its link."""

from dataclasses import dataclass
from datetime import time, timedelta

from django.utils import timezone

from jobhelp.accounts.domain import create_api_token
from jobhelp.accounts.enums import Role
from jobhelp.casework.models import FeedbackInvitation
from jobhelp.core import links
from jobhelp.directory.assessment import start_assessment
from jobhelp.directory.computers import issue_kiosk, set_public_computers
from jobhelp.directory.models import TaxonomyTerm
from jobhelp.organizations.enums import OrganizationKind
from jobhelp.partnerships.agreements import add_attachment
from jobhelp.partnerships.enums import AgreementStatus, Frequency, PartyRole
from jobhelp.partnerships.obligations import mark_occurrence_done
from jobhelp.referrals.consent import record_consent
from jobhelp.referrals.domain import ReferralDetails, send_referral
from jobhelp.scheduling import links as appointment_links
from jobhelp.workshops.catalog import set_flyer
from jobhelp.workshops.links import issue_link
from tests.factories.accounts import UserFactory, staff_member
from tests.factories.casework import FeedbackResponseFactory, FollowUpFactory, HelpSessionFactory
from tests.factories.directory import PlaceFactory, ServiceAtLocationFactory, ServiceFactory
from tests.factories.intake import HelpRequestFactory, RoutingRuleFactory
from tests.factories.organizations import BranchFactory, LocationFactory, OrganizationFactory
from tests.factories.partnerships import (
    COMPLETE_TERMS,
    ActionItemFactory,
    AgreementFactory,
    CostShareFactory,
    GrantFactory,
    LogEntryFactory,
    MeetingFactory,
    ObligationFactory,
    OccurrenceFactory,
    PartnerFactory,
    PartnershipFactory,
    PartyFactory,
    signed,
)
from tests.factories.referrals import agreement_between, wioa_service
from tests.factories.scheduling import (
    AppointmentFactory,
    AppointmentTypeFactory,
    WeeklyHoursFactory,
)
from tests.factories.workshops import (
    RegistrationFactory,
    WorkshopFactory,
    WorkshopSessionFactory,
)
from tests.workshops.files import tiny_pdf, tiny_png, upload

PERSONAS = (
    "anonymous",
    "patron",
    "front_desk",
    "helper",
    "partner_staff",
    "liaison",
    "manager",
    "admin",
    "outsider",
    "privacy_officer",
)


@dataclass
class World:
    people: dict
    tokens: dict  # API keys by persona
    library: object
    branch: object
    center: object
    request: object
    appointment: object
    appointment_type: object
    session: object
    follow_up: object
    feedback: object
    rule: object
    workshop: object
    class_session: object
    registration: object
    patron_links: dict
    feed_token: str
    hub: "Hub"
    referral: object
    consent: object
    cross: "Cross | None" = None
    materials: "MaterialsWorld | None" = None
    directory: "DirectoryWorld | None" = None
    # An import of titles the front desk started (core.imports).
    import_job: object = None


def build_world() -> World:
    library = OrganizationFactory(name="Riverbend County Library", slug="riverbend")
    branch = BranchFactory(parent=library, name="Northtown Library", slug="northtown")
    central = LocationFactory(organization=library, name="Central Library")
    LocationFactory(organization=branch, name="Northtown Library")
    center = OrganizationFactory(
        name="Riverbend WorkForce Center",
        slug="riverbend-workforce",
        kind=OrganizationKind.WORKFORCE_CENTER,
    )
    LocationFactory(organization=center, name="WorkForce Center")
    elsewhere = OrganizationFactory(
        name="Elsewhere Library", slug="elsewhere", accepts_public_requests=False
    )
    people = {
        "front_desk": staff_member(library, Role.FRONT_DESK, first_name="Sam"),
        "helper": staff_member(library, Role.HELPER, needs=["resume"], languages=["en"]),
        "partner_staff": staff_member(center, Role.PARTNER_STAFF, needs=["benefits"]),
        "liaison": staff_member(center, Role.LIAISON, needs=["coaching"]),
        "manager": staff_member(library, Role.MANAGER),
        "admin": UserFactory(is_staff=True, is_superuser=True, username="root"),
        "outsider": staff_member(elsewhere, Role.FRONT_DESK),
        # The library system's privacy officer (issue 18): a person's data, nothing else.
        "privacy_officer": staff_member(library, Role.PRIVACY_OFFICER, first_name="Pat"),
    }
    tokens = {
        persona: create_api_token(user, name="matrix", by=user)[1]
        for persona, user in people.items()
    }
    helper = people["helper"]
    request = HelpRequestFactory(
        organization=library,
        reference="MTX222",
        assigned_to=helper,
        state="assigned",
        email="rosa@example.org",
    )
    appointment_type = AppointmentTypeFactory(organization=library, self_service=True)
    WeeklyHoursFactory(helper=helper, location=central, weekday=0, starts=time(9), ends=time(12))
    appointment = AppointmentFactory(
        request=request,
        helper=helper,
        location=central,
        appointment_type=appointment_type,
        starts=timezone.now() + timedelta(days=2),
    )
    session = HelpSessionFactory(request=request, organization=library, helper=helper)
    follow_up = FollowUpFactory(session=session, helper=helper)
    feedback = FeedbackResponseFactory(session=session, comment="Very kind", may_quote=True)
    rule = RoutingRuleFactory(organization=library, target_helper=helper)
    workshop = WorkshopFactory(organization=library)
    set_flyer(workshop, by=people["manager"], upload=upload("flyer.pdf", tiny_pdf()))
    class_session = WorkshopSessionFactory(workshop=workshop, location=central)
    registration = RegistrationFactory(session=class_session, email="ana@example.org")
    _invitation, survey_token = links.issue(
        FeedbackInvitation,
        expires_at=timezone.now() + timedelta(days=14),
        session=HelpSessionFactory(request=request, organization=library, helper=helper),
    )
    patron_links = {
        "appointment": appointment_links.link_to_appointment(appointment),
        "registration": issue_link(registration),
        "survey": survey_token,
    }
    _feed, feed_token = appointment_links.create_feed(helper, by=helper)
    hub = build_hub(library, center, people)
    agreement_between(center, library)
    referral = send_referral(
        service=wioa_service(center),
        by=helper,
        help_request=request,
        details=ReferralDetails(reason="program", need="coaching"),
    )
    consent = record_consent(
        referral,
        by=helper,
        fields=["name", "phone"],
        purpose="So the center can call them.",
        until=timezone.localdate() + timedelta(days=30),
        method="spoken",
    )
    patron_links["referral_consent"] = consent.token
    directory = build_directory(library, center, central, people)
    patron_links["kiosk"] = directory.kiosk_token
    cross = build_cross(library, center, people)
    return World(
        people=people,
        tokens=tokens,
        library=library,
        branch=branch,
        center=center,
        request=request,
        appointment=appointment,
        appointment_type=appointment_type,
        session=session,
        follow_up=follow_up,
        feedback=feedback,
        rule=rule,
        workshop=workshop,
        class_session=class_session,
        registration=registration,
        patron_links=patron_links,
        feed_token=feed_token,
        referral=referral,
        consent=consent.consent,
        hub=hub,
        cross=cross,
        materials=build_materials(library, center, people),
        directory=directory,
        import_job=_import_job(library, people),
    )


def _import_job(library, people):
    from jobhelp.core import imports

    return imports.start("materials.titles", organization=library, by=people["front_desk"], total=3)


@dataclass
class Cross:
    """Cross-training and the card pool: the center's orientation for the library's staff, the
    library's requirement for its front desk, a card of its pool lent to the center's staff."""

    training: object
    requirement: object
    card: object
    loan: object
    material: object = None


def build_cross(library, center, people) -> Cross:
    from tests.factories.crosstraining import (
        CardFactory,
        CardLoanFactory,
        RequirementFactory,
        TrainingFactory,
        TrainingMaterialFactory,
    )

    training = TrainingFactory(
        organization=center,
        trainer=people["liaison"],
        location=center.locations.first(),
        audience=[library],
    )
    requirement = RequirementFactory(organization=library, role=Role.FRONT_DESK)
    card = CardFactory(library=library, branch=library.locations.first())
    loan = CardLoanFactory(
        card=card, holder=people["partner_staff"], issued_by=people["front_desk"]
    )
    material = TrainingMaterialFactory(training=training, uploaded_by=people["liaison"])
    return Cross(
        training=training, requirement=requirement, card=card, loan=loan, material=material
    )


@dataclass
class Hub:
    """The partnership of the library system and the workforce center, one of everything."""

    partnership: object
    agreement: object
    party: object  # the library system's
    cost_share: object
    attachment: object
    obligation: object
    occurrence: object  # overdue
    kept: object  # kept, with a photo as evidence
    meeting: object
    attendee: object
    action_item: object
    grant: object
    log_entry: object


def build_hub(library, center, people) -> Hub:
    """The center convenes, the library system takes part in full; their agreement is
    executed, with an obligation overdue and kept once with a photo, last week's meeting with
    an attendee and an action item for the manager, a grant, and an entry in the liaison's
    log."""
    partnership = PartnershipFactory(name="Riverbend partnership", convener=center)
    PartnerFactory(partnership=partnership, organization=center)
    PartnerFactory(partnership=partnership, organization=library)
    agreement = AgreementFactory(
        partnership=partnership, status=AgreementStatus.EXECUTED, **COMPLETE_TERMS
    )
    signed(PartyFactory(agreement=agreement, organization=center, role=PartyRole.LOCAL_BOARD))
    party = signed(PartyFactory(agreement=agreement, organization=library))
    obligation = ObligationFactory(
        agreement=agreement, owner_organization=center, frequency=Frequency.ONCE
    )
    meeting = MeetingFactory(
        partnership=partnership,
        location=center.locations.get(),
        starts=timezone.now() - timedelta(days=7),
    )
    return Hub(
        partnership=partnership,
        agreement=agreement,
        party=party,
        cost_share=CostShareFactory(party=party),
        attachment=add_attachment(
            agreement, by=people["manager"], upload=upload("signed.pdf", tiny_pdf())
        ),
        obligation=obligation,
        occurrence=OccurrenceFactory(obligation=obligation),
        kept=mark_occurrence_done(
            OccurrenceFactory(
                obligation=obligation, due_on=timezone.localdate() - timedelta(days=40)
            ),
            by=people["liaison"],
            upload=upload("shelf.png", tiny_png(), "image/png"),
        ),
        meeting=meeting,
        attendee=meeting.attendees.create(organization=center, user=people["liaison"]),
        action_item=ActionItemFactory(
            meeting=meeting, owner=people["manager"], owner_organization=library
        ),
        grant=GrantFactory(partnership=partnership, lead_organization=center),
        log_entry=LogEntryFactory(
            partnership=partnership, liaison=people["liaison"], organization=center
        ),
    )


@dataclass
class MaterialsWorld:
    """The library system and the center share both ways; this month's flyer from the center
    to every library location; a title of each side (the center's asked for often), one on
    the center's partner shelf, and the library's order of a center title."""

    flyer: object
    title: object  # the library's own
    popular: object  # the center's, asked for often
    order: object
    # The same again for the API's rows, which come after the staff pages' rows have
    # withdrawn, removed and ordered the first ones.
    api: "MaterialsWorld | None" = None


def build_materials(library, center, people, *, suffix: str = "") -> MaterialsWorld:
    from jobhelp.materials import domain as materials
    from jobhelp.materials.domain import MaterialDetails
    from jobhelp.materials.enums import MaterialKind
    from jobhelp.materials.models import Sharing
    from jobhelp.materials.titles import TitleDetails, add_title, order_title
    from jobhelp.organizations.models import Location

    if not suffix:
        Sharing.objects.create(organization=library, partner=center)
        Sharing.objects.create(organization=center, partner=library)
    library_locations = list(
        Location.objects.filter(organization__in=[library, *library.children.all()])
    )
    office = center.locations.get()
    flyer = materials.upload_material(
        center,
        by=people["liaison"],
        upload=upload("flyer.pdf", tiny_pdf()),
        details=MaterialDetails(
            kind=MaterialKind.MONTHLY_FLYER,
            title="Center workshops" + suffix,
            month=timezone.localdate(),
        ),
        targets=library_locations,
    )
    title = add_title(
        library,
        by=people["manager"],
        details=TitleDetails(title="Resumes for Dummies" + suffix, location=library_locations[0]),
    )
    popular = add_title(
        center,
        by=people["liaison"],
        details=TitleDetails(
            title="What Color Is Your Parachute?" + suffix, location=office, times_asked=40
        ),
    )
    add_title(
        library,
        by=people["manager"],
        details=TitleDetails(
            title="Library card application" + suffix, location=office, partner_shelf=True
        ),
    )
    ordered = add_title(
        center,
        by=people["liaison"],
        details=TitleDetails(title="Knock 'em Dead" + suffix, location=office, times_asked=12),
    )
    order = order_title(ordered, organization=library, by=people["manager"])
    return MaterialsWorld(
        flyer=flyer,
        title=title,
        popular=popular,
        order=order,
        api=None if suffix else build_materials(library, center, people, suffix=" (API)"),
    )


@dataclass
class DirectoryWorld:
    """The library system's entry at Central Library, which has 16 public computers and a
    kiosk; the center's entry; an assessment of Central Library being filled in."""

    service: object
    center_service: object
    central: object
    kiosk_token: str
    assessment: object
    # A town and ZIP code and a category nobody uses (a manager may remove them).
    place: object = None
    term: object = None


def build_directory(library, center, central, people) -> DirectoryWorld:
    service = ServiceFactory(organization=library, name="Resumé help")
    ServiceAtLocationFactory(service=service, location=central)
    set_public_computers(central, by=people["manager"], count=16)
    return DirectoryWorld(
        service=service,
        center_service=ServiceFactory(organization=center, name="WIOA career services"),
        central=central,
        kiosk_token=issue_kiosk(central, by=people["manager"], name="Lobby")[1],
        assessment=start_assessment(central, by=people["front_desk"]),
        place=PlaceFactory(name="Brookdale", postal_code="55444"),
        term=TaxonomyTerm.objects.create(name="Veterans"),
    )
