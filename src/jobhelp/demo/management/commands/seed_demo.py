"""Load the demo county. Running it again changes nothing."""

import dataclasses
import random
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from jobhelp.accounts.models import Membership, Qualification, SpokenLanguage
from jobhelp.casework.domain import (
    Answers,
    SessionDetails,
    mark_testimonial,
    record_phone_feedback,
    record_session,
)
from jobhelp.demo import crosstraining, data, directory, history, materials, referrals
from jobhelp.demo.partnerships import seed_partnership
from jobhelp.intake.domain import RequestDetails, submit_request
from jobhelp.intake.enums import (
    ClosingReason,
    ContactMethod,
    ContactOutcome,
    IntakeChannel,
    RequestState,
)
from jobhelp.intake.models import HelpRequest, RoutingRule
from jobhelp.intake.queries import helpers_for_request
from jobhelp.intake.routing_rules import create_rule
from jobhelp.intake.rules import can_assign
from jobhelp.intake.triage import (
    assign_request,
    close_request,
    log_contact_attempt,
    resolve_request,
)
from jobhelp.organizations.enums import OrganizationKind, ParticipationTier
from jobhelp.organizations.models import Location, OpeningHours, Organization
from jobhelp.scheduling import availability
from jobhelp.scheduling.attendance import mark_no_show
from jobhelp.scheduling.domain import book_appointment
from jobhelp.scheduling.models import AppointmentType, Closure, WeeklyHours
from jobhelp.scheduling.search import slots_for_request
from jobhelp.workshops.domain import Registrant, register
from jobhelp.workshops.enums import Recurrence
from jobhelp.workshops.models import Workshop
from jobhelp.workshops.sessions import nth_weekday, schedule_sessions

User = get_user_model()


def _analyze() -> None:
    """Tell PostgreSQL's planner what the demo has just written (ANALYZE counts the rows this
    transaction wrote). Without it, the queries that follow a year written at once are planned
    from whatever the statistics said before: in the PostgreSQL test run, after other tests
    had filled and emptied the tables, one query on the year's outcomes ran for minutes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = "Load the demo county (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo even though DEBUG is off (never on a real library's server).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "The demo county has well-known passwords; it loads only with DEBUG=true "
                "(or --force on a throwaway database)."
            )
        with transaction.atomic():
            system, center = self._organizations()
            self._staff()
            self._routing_rules()
            self._scheduling(system)
            fresh = not (
                HelpRequest.objects.filter(organization__in=[system, center]).exists()
                or HelpRequest.objects.filter(organization__parent=system).exists()
            )
            self._workshops()
            past = (
                history.build_history(
                    today=timezone.localdate(), yearly=settings.DEMO_HISTORY_REQUESTS
                )
                if fresh
                else 0
            )
            _analyze()
            recent = self._requests(system, center) if fresh else []
            if recent:
                self._help_sessions(recent)
            directory.seed()
            seed_partnership()
            materials.seed()
            referrals.seed()
            crosstraining.seed()
            _analyze()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo county ready ({past} requests in the past year and {len(recent)} "
                "in the last month). Staff log in at /staff/ with "
                f"password '{data.PASSWORD}' as: "
                + ", ".join(f"{u[0]} ({u[4].replace('_', ' ')})" for u in data.STAFF)
                + ", admin (admin)."
            )
        )

    def _location(self, org, slug_name, street, city, phone, hours):
        location, _ = Location.objects.update_or_create(
            organization=org,
            name=slug_name,
            defaults={
                "street": street,
                "city": city,
                "state": "MN",
                "postal_code": "55400",
                "phone": phone,
                "time_zone": data.ZONE,
            },
        )
        for weekday, opens, closes in hours:
            OpeningHours.objects.get_or_create(
                location=location, weekday=weekday, opens=opens, closes=closes
            )
        return location

    def _organizations(self):
        system, _ = Organization.objects.update_or_create(
            slug=data.LIBRARY_SYSTEM["slug"],
            defaults={
                "name": data.LIBRARY_SYSTEM["name"],
                "kind": OrganizationKind.LIBRARY_SYSTEM,
                "phone": data.LIBRARY_SYSTEM["phone"],
                "accepts_public_requests": True,
            },
        )
        for i, (slug, name, street, city) in enumerate(data.BRANCHES):
            branch, _ = Organization.objects.update_or_create(
                slug=slug,
                defaults={"name": name, "kind": OrganizationKind.BRANCH, "parent": system},
            )
            self._location(
                branch, name, street, city, f"763-555-01{10 + i:02d}", data.WEEKDAY_HOURS
            )
        for i, (slug, name, street, city) in enumerate(data.AFFILIATES):
            affiliate, _ = Organization.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "kind": OrganizationKind.AFFILIATE,
                    "parent": system,
                    "participation_tier": ParticipationTier.REDUCED,
                },
            )
            self._location(
                affiliate, name, street, city, f"763-555-01{30 + i:02d}", data.WEEKDAY_HOURS[:3]
            )
        wc = data.WORKFORCE_CENTER
        center, _ = Organization.objects.update_or_create(
            slug=wc["slug"],
            defaults={
                "name": wc["name"],
                "kind": OrganizationKind.WORKFORCE_CENTER,
                "phone": wc["phone"],
                "accepts_public_requests": True,
            },
        )
        self._location(center, wc["name"], wc["street"], wc["city"], wc["phone"], data.CENTER_HOURS)
        return system, center

    def _staff(self):
        for username, first, last, org_slug, role, home, needs, languages in data.STAFF:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.org",
                    "preferred_language": "es" if "es" in languages else "en",
                },
            )
            if created:
                user.set_password(data.PASSWORD)
                user.save()
            organization = Organization.objects.get(slug=org_slug)
            home_location = (
                Location.objects.filter(organization__slug=home).first()
                if home
                else organization.locations.first()
            )
            Membership.objects.get_or_create(
                user=user,
                organization=organization,
                role=role,
                defaults={"home_location": home_location},
            )
            for need in needs:
                Qualification.objects.get_or_create(user=user, need=need)
            for language in languages:
                SpokenLanguage.objects.get_or_create(user=user, language=language)
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@example.org", data.PASSWORD)

    def _scheduling(self, system):
        """Appointment types, helpers' hours and the holiday closures."""
        for slug, name, minutes, modality, after, self_service, needs in data.APPOINTMENT_TYPES:
            AppointmentType.objects.get_or_create(
                organization=Organization.objects.get(slug=slug),
                name=name,
                defaults={
                    "duration": minutes,
                    "modality": modality,
                    "padding_after": after,
                    "min_notice": 60,
                    "self_service": self_service,
                    "needs": needs,
                },
            )
        for username, place, hours in data.HELPER_HOURS:
            helper = User.objects.get(username=username)
            location = Location.objects.get(name=place)
            for weekdays, starts, ends in hours:
                for weekday in weekdays:
                    WeeklyHours.objects.get_or_create(
                        helper=helper,
                        location=location,
                        weekday=weekday,
                        starts=starts,
                        ends=ends,
                    )
        library_locations = Location.objects.filter(
            Q(organization=system) | Q(organization__parent=system)
        )
        for day, reason in data.CLOSED_DAYS:
            for location in library_locations:
                starts = datetime.combine(date.fromisoformat(day), time(0), tzinfo=location.zone)
                Closure.objects.get_or_create(
                    location=location,
                    starts=starts,
                    defaults={"ends": starts + timedelta(days=1), "reason": reason},
                )

    def _book(self, help_request, i):
        """Book the request's first free time through the real booking function; every other
        one is booked as it would have been two weeks ago and has happened since: missed, or
        attended with the help given recorded."""
        types = AppointmentType.objects.filter(
            Q(organization=help_request.organization)
            | Q(organization_id=help_request.organization.parent_id)
        ).order_by("pk")
        now = timezone.now()
        past = (i // 6) % 2 == 1 and help_request.created_at < now - timedelta(days=14)
        booked_at = now - timedelta(days=14) if past else now
        for appointment_type in types:
            slots = slots_for_request(help_request, appointment_type, now=booked_at, days=13)
            if not slots:
                # A need nobody is qualified for ("other"): the assigned helper's own times.
                helper = help_request.assigned_to
                places = Location.objects.filter(
                    pk__in=WeeklyHours.objects.filter(helper=helper).values("location")
                ).select_related("organization")
                slots = [
                    (helper, location, starts)
                    for location in places
                    if appointment_type.organization_id
                    in {location.organization_id, location.organization.parent_id}
                    for starts in availability.slots(
                        helper, location, appointment_type, now=booked_at, days=13
                    )
                ]
            if past:
                slots = [s for s in slots if s[2] < now - timedelta(hours=2)]
            if not slots:
                continue
            helper, location, starts = slots[(i // 2) % len(slots)]
            appointment = book_appointment(
                request=help_request,
                helper=helper,
                location=location,
                appointment_type=appointment_type,
                starts=starts,
                by=help_request.assigned_to,
                now=booked_at,
            )
            if past and i % 5 == 0:
                mark_no_show(appointment, by=help_request.assigned_to, now=now)
            elif past:
                # The helper recorded the help given: that marks the appointment attended and
                # takes the request back "in progress" for them to finish, so no request is
                # left "scheduled" with nothing to come.
                activities, outcomes = data.SESSION_ACTIVITIES[i % len(data.SESSION_ACTIVITIES)]
                record_session(
                    help_request,
                    by=help_request.assigned_to,
                    details=SessionDetails(
                        happened_at=appointment.starts,
                        modality=appointment_type.modality,
                        minutes=appointment_type.duration,
                        activities=activities,
                        outcomes=outcomes,
                    ),
                    appointment=appointment,
                    now=now,
                )
            return appointment
        return None

    def _help_sessions(self, recent: list[int]):
        """Resolved requests get the help session their helper would have recorded, with
        outcomes and, for some, the patron's answers given by phone."""
        now = timezone.now()
        resolved = HelpRequest.objects.filter(
            pk__in=recent, state=RequestState.RESOLVED
        ).select_related("assigned_to", "organization")
        for i, help_request in enumerate(resolved.order_by("pk")):
            activities, outcomes = data.SESSION_ACTIVITIES[i % len(data.SESSION_ACTIVITIES)]
            session = record_session(
                help_request,
                by=help_request.assigned_to,
                details=SessionDetails(
                    happened_at=min(
                        help_request.created_at + timedelta(days=2), now - timedelta(hours=1)
                    ),
                    modality=help_request.modality,
                    minutes=30 + 15 * (i % 3),
                    activities=activities,
                    outcomes=outcomes,
                    follow_up_on=timezone.localdate() + timedelta(days=i % 3)
                    if i % 2 == 0
                    else None,
                    follow_up_note="Call back to ask about the interview" if i % 2 == 0 else "",
                ),
                now=now,
            )
            if i < len(data.FEEDBACK):
                helpful, recommend, comment, may_quote = data.FEEDBACK[i]
                response = record_phone_feedback(
                    session,
                    by=help_request.assigned_to,
                    answers=Answers(
                        helpful=helpful,
                        would_recommend=recommend,
                        comment=comment,
                        may_quote=may_quote,
                    ),
                )
                if i == 0:
                    mark_testimonial(
                        response, by=User.objects.get(username="mgarcia"), testimonial=True
                    )

    def _workshops(self):
        """The center's monthly "Online Interviewing Tips" and two library classes, with
        sessions in the coming months and a few registrations."""
        if Workshop.objects.exists():
            return
        today = timezone.localdate()
        for i, row in enumerate(data.WORKSHOPS):
            slug, title, description, delivery, seats, needs, language = row[:7]
            place, (weekday, nth), starts, minutes, count = row[7:]
            organization = Organization.objects.get(slug=slug)
            location = Location.objects.get(name=place)
            host = Membership.objects.filter(organization=organization).first().user
            workshop = Workshop.objects.create(
                organization=organization,
                title=title,
                description=description,
                delivery=delivery,
                capacity=seats,
                needs=needs,
                language=language,
                materials="Your resumé, if you have one" if delivery == "in_person" else "",
            )
            if slug == "riverbend-workforce":
                workshop.co_hosts.add(Organization.objects.get(slug="riverbend-library"))
            month = today.replace(day=1) + timedelta(days=32)
            first = nth_weekday(month.year, month.month, weekday, nth)
            sessions = schedule_sessions(
                workshop,
                by=host,
                location=location,
                first=first,
                starts=starts,
                minutes=minutes,
                recurrence=Recurrence.MONTHLY_NTH,
                count=count,
                host=host,
                join_url="https://meet.example.org/riverbend-interview-tips"
                if delivery == "video"
                else "",
                conference_phone="763-555-0199" if delivery == "phone" else "",
                conference_code="482913" if delivery == "phone" else "",
            )
            for n in range(3 + 4 * (i == 0)):
                name, patron_language = data.PATRONS[(n + i) % len(data.PATRONS)]
                register(
                    sessions[0],
                    registrant=Registrant(
                        name=name,
                        phone=f"+1763555{300 + 10 * i + n:04d}",
                        language=patron_language if patron_language in ("en", "es") else "en",
                    ),
                    by=host,
                )

    def _routing_rules(self):
        for org_slug, manager, fields in data.ROUTING_RULES:
            organization = Organization.objects.get(slug=org_slug)
            if RoutingRule.objects.filter(organization=organization, name=fields["name"]).exists():
                continue
            fields = dict(fields)
            if "target_helper" in fields:
                fields["target_helper"] = User.objects.get(username=fields["target_helper"])
            if "target_location" in fields:
                fields["target_location"] = Location.objects.get(name=fields["target_location"])
            create_rule(organization=organization, by=User.objects.get(username=manager), **fields)

    def _requests(self, system, center) -> list[int]:
        """The last month's requests, in every state; returns their ids."""
        rng = random.Random(2026)
        front_desk = User.objects.get(username="frontdesk")
        assigners = list(User.objects.filter(username__in=["mgarcia", "rkhan"]).order_by("pk"))
        center_location = center.locations.first()
        locations = list(Location.objects.filter(organization__parent=system).order_by("pk"))
        needs_pool = [
            "resume",
            "applications",
            "coaching",
            "interview",
            "adult_ed",
            "digital",
            "unemployment",
            "other",
        ]
        states = [
            RequestState.NEW,
            RequestState.ASSIGNED,
            RequestState.IN_PROGRESS,
            RequestState.SCHEDULED,
            RequestState.RESOLVED,
            RequestState.CLOSED,
        ]
        reasons = [
            ClosingReason.REFERRED,
            ClosingReason.NO_RESPONSE,
            ClosingReason.DUPLICATE,
            ClosingReason.WITHDRAWN,
            ClosingReason.OUT_OF_SCOPE,
        ]
        now = timezone.now()
        made = []
        for i in range(48):
            name, language = data.PATRONS[i % len(data.PATRONS)]
            has_email = i % 3 != 0
            channel = [
                IntakeChannel.WEB,
                IntakeChannel.PHONE,
                IntakeChannel.EMAIL,
                IntakeChannel.WALK_IN,
            ][i % 4]
            first = name.split()[0].lower().replace("í", "i").replace("á", "a")
            details = RequestDetails(
                name=name,
                phone=f"+1763555{150 + i:04d}",
                email=f"{first}.{i}@example.com" if has_email else "",
                preferred_contact=(
                    "email"
                    if has_email and i % 2
                    # One patron without email asks for texts: booked now, so the demo shows
                    # the confirmation, the assignment and the reminders as text messages.
                    else "text"
                    if i == 3
                    else "phone"
                ),
                best_time=["any", "morning", "afternoon", "evening"][i % 4],
                voicemail_ok=bool(i % 2),
                needs=rng.sample(needs_pool, k=1 + i % 3),
                language=language,
                preferred_location=None if i % 4 == 0 else locations[i % len(locations)],
                modality=["phone", "email", "video", "in_person"][i % 4],
                note=data.NOTES[i % len(data.NOTES)],
            )
            organization = center if i % 8 == 7 else system
            if organization == center:
                # The center's own requests name its office, not a library branch.
                details = dataclasses.replace(details, preferred_location=center_location)
            help_request = submit_request(
                organization=organization,
                details=details,
                channel=channel,
                taken_by=None if channel == IntakeChannel.WEB else front_desk,
            )
            state = states[i % len(states)]
            created_at = now - timedelta(days=30 - i * 0.6, hours=i % 7)
            # Dated before its steps are taken, so that an appointment booked "two weeks ago"
            # is never older than its request.
            HelpRequest.objects.filter(pk=help_request.pk).update(created_at=created_at)
            help_request.refresh_from_db()
            if state != RequestState.NEW:
                assigner = next(u for u in assigners if can_assign(u, help_request))
                self._walk(help_request, state, i, assigner, reasons)
            HelpRequest.objects.filter(pk=help_request.pk, finished_at__isnull=False).update(
                finished_at=created_at + timedelta(days=3)
            )
            made.append(help_request.pk)
        return made

    def _walk(self, help_request, state, i, manager, reasons):
        """Take a request through the real triage steps to `state`, so that its history, the
        helpers' loads and the messages are what they would be."""
        helpers = list(helpers_for_request(help_request))
        qualified = [
            h
            for h in helpers
            if h.qualifications.filter(need__in=help_request.needs.values("need")).exists()
        ]
        helper = (qualified or helpers)[i % len(qualified or helpers)]
        if help_request.assigned_to is None:
            help_request = assign_request(help_request, helper=helper, by=manager)
        else:
            # A routing rule already assigned it when it came in.
            helper = help_request.assigned_to
        if state == RequestState.ASSIGNED:
            return
        if state == RequestState.SCHEDULED:
            self._book(help_request, i)
            return
        reason = reasons[i % len(reasons)] if state == RequestState.CLOSED else None
        tries = 3 if reason == ClosingReason.NO_RESPONSE else 1
        for _attempt in range(tries):
            log_contact_attempt(
                help_request,
                by=helper,
                channel=ContactMethod.PHONE,
                outcome=ContactOutcome.VOICEMAIL,
            )
        if state == RequestState.RESOLVED:
            log_contact_attempt(
                help_request, by=helper, channel=ContactMethod.PHONE, outcome=ContactOutcome.REACHED
            )
            resolve_request(help_request, by=helper)
        elif state == RequestState.CLOSED:
            close_request(help_request, by=manager, reason=reason)
