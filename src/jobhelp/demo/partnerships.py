"""The demo county's partnership, as the seed describes it (../shared/seeds/, the Anoka County
partnership): the WorkForce Center's agreement with the library system as an additional
partner and its two affiliates at a reduced level, renewing on June 30 of next year and
executed; the seed's obligations with a year of occurrences, some overdue; two quarterly
management meetings with action items; a grant the partners pursue together; and a year of
the liaison's log near two hours a month.

Everything is made through the partnerships domain functions, by the demo's staff (cortiz, the
center's manager; lbrooks, its liaison; mgarcia, the library system's manager), with `now=`
and `today=` where a record belongs to the past. Loading it again changes nothing.
"""

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from jobhelp.demo import data
from jobhelp.organizations.enums import ParticipationTier
from jobhelp.organizations.models import Location, Organization
from jobhelp.partnerships import agreements, grants, log, meetings, obligations, partners
from jobhelp.partnerships.enums import (
    ActionItemStatus,
    Activity,
    ContributionKind,
    CostCategory,
    Frequency,
    GrantStatus,
    ObligationKind,
    PartyRole,
)
from jobhelp.partnerships.models import Partnership

NAME = "Riverbend County job center and libraries"

TERMS = {
    "review_cycle_months": 36,
    "services_coordination": (
        "The WorkForce Center gives the libraries its workshop calendar and materials every "
        "month; the libraries give job seekers computers, wifi and help with online "
        "applications at ten locations, and send people who need career services to the center."
    ),
    "referral_methods": (
        "A referral slip with the center's address and hours; a call to the center's front "
        "desk for a warm handoff; the center sends people to the nearest library for computers."
    ),
    "needs_disability": (
        "Accessible workstations with screen readers at the Central Library and the center; "
        "sign-language interpreters on request."
    ),
    "needs_language": (
        "Spanish- and Somali-speaking staff at the center; flyers in English and Spanish; "
        "interpreters by phone at every library."
    ),
    "needs_technology": (
        "Public computers, wifi and printing at every library; five temporary library cards "
        "lent to the center's staff for the library's online resources."
    ),
    "cost_allocation_method": (
        "Infrastructure costs of the center by square feet used; library contributions are "
        "in kind, valued at staff time and computer hours."
    ),
    "data_sharing": "Only counts are shared. No patron or participant records leave a partner.",
    "dispute_resolution": (
        "The liaison and the library manager talk first; then the directors; then the chair "
        "of the workforce board decides."
    ),
    "amendment_procedure": (
        "In writing. A minor amendment is signed by the liaison's manager; a major one by "
        "every party."
    ),
    "chief_elected_official": "Chair, Riverbend County Board of Commissioners",
}

# title, kind, owner (center or library), person, frequency, reduced tier takes part, note
OBLIGATIONS = [
    (
        "Liaison tours of the job center for library staff",
        ObligationKind.TOUR,
        "center",
        "lbrooks",
        Frequency.QUARTERLY,
        True,
        "Tour of the resource room and the online job-search tools.",
    ),
    (
        "Monthly workshop flyers to every library",
        ObligationKind.FLYERS,
        "center",
        "lbrooks",
        Frequency.MONTHLY,
        True,
        "Sent the month's flyers to every branch and both affiliates.",
    ),
    (
        "Library staff train the job center on the library's e-resources",
        ObligationKind.TRAINING,
        "library",
        "mgarcia",
        Frequency.YEARLY,
        False,
        "Trained six center staff on the databases and the catalogue.",
    ),
    (
        "Five temporary library cards for the job center's staff",
        ObligationKind.CARDS,
        "library",
        "mgarcia",
        Frequency.YEARLY,
        False,
        "Five cards issued for the year.",
    ),
    (
        "Quarterly management meeting",
        ObligationKind.MEETING,
        "center",
        "cortiz",
        Frequency.QUARTERLY,
        False,
        "",
    ),
    (
        "A shelf of library resources and card applications at the job center",
        ObligationKind.RESOURCES,
        "library",
        "mgarcia",
        Frequency.QUARTERLY,
        False,
        "Shelf restocked: new titles and card applications.",
    ),
]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _first_of_month(day: date, months_back: int) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def seed_partnership(*, today: date | None = None) -> Partnership:
    """Load the demo partnership once; return it."""
    today = today or timezone.localdate()
    center = Organization.objects.get(slug=data.WORKFORCE_CENTER["slug"])
    existing = Partnership.objects.filter(name=NAME, convener=center).first()
    if existing is not None:
        return existing
    users = get_user_model().objects.in_bulk(
        ["cortiz", "lbrooks", "mgarcia"], field_name="username"
    )
    cortiz, lbrooks, mgarcia = users["cortiz"], users["lbrooks"], users["mgarcia"]
    system = Organization.objects.get(slug=data.LIBRARY_SYSTEM["slug"])
    affiliates = list(Organization.objects.filter(slug__in=[a[0] for a in data.AFFILIATES]))
    owners = {"center": center, "library": system}
    people = {"cortiz": cortiz, "lbrooks": lbrooks, "mgarcia": mgarcia}

    partnership = partners.create_partnership(by=cortiz, name=NAME, convener=center)
    partners.update_partner(
        partnership.partners.get(organization=center),
        by=cortiz,
        offers="Workshops, career coaching, the resource room, WIOA career services.",
        joined_on=date(2005, 1, 1),
    )
    partners.add_partner(
        partnership,
        by=cortiz,
        organization=system,
        offers="Computers with shorter waits at eight branches, classes, e-resources.",
        joined_on=date(2005, 1, 1),
    )
    for affiliate in affiliates:
        partners.add_partner(
            partnership,
            by=cortiz,
            organization=affiliate,
            tier=ParticipationTier.REDUCED,
            services="Workshop flyers posted; library staff join the liaison's tours.",
        )
    partners.designate_liaison(partnership, by=cortiz, liaison=lbrooks)
    partners.add_contact(
        partnership.partners.get(organization=center),
        by=cortiz,
        name="Lee Brooks",
        title="Resource Center Coordinator, liaison to the libraries",
        email="lbrooks@example.org",
        phone="763-555-0150",
        user=lbrooks,
    )
    partners.add_contact(
        partnership.partners.get(organization=system),
        by=mgarcia,
        name="Maria Garcia",
        title="Job help manager",
        email="mgarcia@example.org",
        user=mgarcia,
    )

    # The agreement renews on June 30 of next year, after a three-year term.
    renewal = date(today.year + 1, 6, 30)
    effective = date(renewal.year - 3, 7, 1)
    agreement = agreements.create_agreement(
        partnership,
        by=cortiz,
        title="Riverbend County one-stop memorandum of understanding",
        organization=center,
        role=PartyRole.LOCAL_BOARD,
        services="WIOA career services, workshops, the resource room, the liaison's time.",
        effective_from=effective,
        renewal_on=renewal,
        chief_elected_official_agreed_on=effective - timedelta(days=20),
        **TERMS,
    )
    library_party = agreements.add_party(
        agreement,
        by=cortiz,
        organization=system,
        role=PartyRole.ADDITIONAL_PARTNER,
        services="Computers and wifi at every branch, job-help classes, e-resources training.",
    )
    for affiliate in affiliates:
        agreements.add_party(
            agreement,
            by=cortiz,
            organization=affiliate,
            role=PartyRole.ADDITIONAL_PARTNER,
            services="Workshop flyers posted; staff join the liaison's tours.",
        )
    center_party = agreement.parties.get(organization=center)
    agreements.add_cost_share(
        center_party,
        by=cortiz,
        category=CostCategory.INFRASTRUCTURE,
        contribution=ContributionKind.CASH,
        description="Rent and utilities of the WorkForce Center.",
    )
    agreements.add_cost_share(
        library_party,
        by=mgarcia,
        category=CostCategory.SHARED,
        contribution=ContributionKind.IN_KIND,
        description="Staff time for training and public computers for job seekers.",
        annual_amount=18000,
    )
    agreements.open_negotiation(agreement, by=cortiz)
    signed_on = effective - timedelta(days=14)
    for party in agreement.parties.select_related("organization"):
        signer = cortiz if party.organization_id == center.pk else mgarcia
        agreements.record_signature(
            party,
            by=signer,
            signatory_name=f"{signer.first_name} {signer.last_name}",
            signatory_title="Director" if signer == cortiz else "Library Director",
            signed_on=signed_on,
            now=_at(signed_on),
        )

    # The seed's obligations, due from a year ago; their past occurrences kept, some overdue.
    start = _first_of_month(today, 12)
    made = {}
    for title, kind, owner, person, frequency, reduced, _note in OBLIGATIONS:
        made[kind] = obligations.add_obligation(
            agreement,
            by=cortiz if owner == "center" else mgarcia,
            title=title,
            kind=kind,
            owner_organization=owners[owner],
            owner=people[person],
            frequency=frequency,
            first_due_on=start,
            reduced_tier_takes_part=reduced,
        )
    held = _meetings(partnership, center, system, cortiz, lbrooks, mgarcia, today)
    for _title, kind, _owner, person, _frequency, _reduced, note in OBLIGATIONS:
        obligation = made[kind]
        past = list(obligation.occurrences.filter(due_on__lt=today).order_by("due_on"))
        # The latest ones are left undone: the liaison's and the managers' homes show them.
        keep = past[:-1] if kind in {ObligationKind.FLYERS, ObligationKind.RESOURCES} else past
        if kind == ObligationKind.TRAINING:
            keep = []
        for occurrence in keep:
            record = None
            if kind == ObligationKind.MEETING:
                record = min(held, key=lambda m: abs((m.starts.date() - occurrence.due_on).days))
                if abs((record.starts.date() - occurrence.due_on).days) > 45:
                    continue
            obligations.mark_occurrence_done(
                occurrence,
                by=people[person],
                note=note,
                evidence=record,
                now=_at(min(occurrence.due_on + timedelta(days=2), today), 9),
            )

    grant = grants.add_grant(
        partnership,
        by=cortiz,
        funder="State Library Services",
        opportunity="Digital skills for job seekers at the library",
        lead_organization=system,
        deadline=today + timedelta(days=75),
        amount_sought=40000,
        match_commitment="The center: a career coach at two branches one day a week.",
        in_kind_commitment="The library: classrooms, computers and staff time.",
        meeting=held[-1],
    )
    grants.set_grant_status(grant, by=cortiz, status=GrantStatus.PREPARING)

    _liaison_log(partnership, lbrooks, system, affiliates, today)
    return partnership


def _meetings(partnership, center, system, cortiz, lbrooks, mgarcia, today):
    """Two quarterly meetings already held, with minutes and action items (some open, one
    coming due within days, so its reminder is queued by the periodic job)."""
    center_place = Location.objects.filter(organization=center).first()
    library_place = Location.objects.filter(organization__parent=system).order_by("name").first()
    held = []
    for days_ago, place, title in (
        (100, center_place, "Quarterly management meeting"),
        (12, library_place, "Quarterly management meeting"),
    ):
        day = today - timedelta(days=days_ago)
        meeting = meetings.schedule_meeting(
            partnership,
            by=cortiz,
            title=title,
            location=place,
            day=day,
            starts=time(14),
            minutes=90,
            agenda=(
                "1. The liaison's tours and the flyers.\n"
                "2. The library e-resources training for center staff.\n"
                "3. Coordinating a grant for digital skills."
            ),
            now=_at(day - timedelta(days=30)),
        )
        for person in (cortiz, lbrooks, mgarcia):
            meetings.add_attendee(meeting, by=cortiz, user=person)
        meetings.record_minutes(
            meeting,
            by=cortiz,
            minutes=(
                "The liaison reported the tours given and the flyers sent. The library "
                "reported the cards lent to center staff."
            ),
            decisions="Apply together for the State Library Services digital skills grant.",
            attended=list(meeting.attendees.values_list("pk", flat=True)),
            now=_at(day, 17),
        )
        held.append(meeting)
    first, second = held
    done = meetings.add_action_item(
        first,
        by=cortiz,
        title="Send the library the center's most popular titles",
        owner=lbrooks,
        due_on=first.starts.date() + timedelta(days=30),
    )
    meetings.set_action_item_status(
        done, by=lbrooks, status=ActionItemStatus.DONE, now=_at(done.due_on)
    )
    meetings.add_action_item(
        first,
        by=cortiz,
        title="Schedule the e-resources refresher for new center staff",
        owner=mgarcia,
        due_on=first.starts.date() + timedelta(days=45),
    )
    meetings.add_action_item(
        second,
        by=cortiz,
        title="Draft the grant budget with the library",
        owner=cortiz,
        due_on=today + timedelta(days=3),
    )
    meetings.add_action_item(
        second,
        by=cortiz,
        title="Collect letters of support from both affiliates",
        owner=mgarcia,
        due_on=today + timedelta(days=20),
    )
    return held


def _liaison_log(partnership, lbrooks, system, affiliates, today):
    """A year of the liaison's time, near two hours a month."""
    branches = list(Organization.objects.filter(parent=system).order_by("name"))
    rng = random.Random(2005)  # noqa: S311 (demo data, not a secret)
    for months_back in range(12, -1, -1):
        first = _first_of_month(today, months_back)
        plan = [
            (Activity.TOUR, rng.choice([45, 60, 75]), rng.choice(branches + affiliates)),
            (Activity.MATERIALS, rng.choice([15, 20, 30]), system),
            (Activity.MEETING if months_back % 3 == 0 else Activity.OUTREACH, 30, system),
        ]
        for n, (activity, minutes, other) in enumerate(plan):
            day = first + timedelta(days=4 + 8 * n)
            if day > today:
                break
            log.record_log_entry(
                partnership,
                by=lbrooks,
                occurred_on=day,
                activity=activity,
                minutes=minutes,
                with_organization=other,
                attendees="New library staff" if activity == Activity.TOUR else "",
                attendee_count=rng.randint(2, 6) if activity == Activity.TOUR else None,
                today=today,
            )
