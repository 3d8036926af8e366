"""A small, fully known month of work at Riverbend (November 2026, America/Chicago), with
rows just outside the month and at another library that must never be counted.

Every expected figure in the report tests is worked out by hand from this listing.

Requests received in November (library system unless marked "branch"):

    r1  web    Nov 1 00:00   contacted +1 h, resolved +1 day, session a1
    r2  web    Nov 2 10:00   contacted +2 h, resolved +2 days, session a2
    r3  web    Nov 3 10:00   contacted +3 h, resolved +2 days
    r4  web    Nov 4 10:00   contacted +4 h (again +30 h), resolved +4 days
    r5  phone  Nov 5 10:00   contacted +10 h, resolved +6 days, session a3
    r6  phone  Nov 6 10:00   resolved +8 days
    r7  phone  Nov 7 10:00   closed +1 day (no response)
    r8  phone  Nov 8 10:00   session a4
    r9  email  Nov 9 10:00   session a5
    r10 email  Nov 30 23:59
    b1  web    Nov 10        branch, session b1 (by Bo)
    b2  web    Nov 11        branch
    b3  web    Nov 12        branch
    b4  phone  Nov 13        branch

Outside: o0 (Oct 10, attended Oct 15, session Oct 15), o1 (Oct 31 23:59), d1 (Dec 1 00:00,
attended Dec 1), and six requests of Elsewhere Library in November with a session and an
attended appointment.

Referrals (tests/reports/test_referrals.py counts them in detail): the library system sent two
to the workforce center's WIOA career services in November (one completed, got help; one
declined); the center sent one to the library's resumé help (accepted).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jobhelp.accounts.enums import Role
from jobhelp.casework.models import (
    FeedbackInvitation,
    FeedbackResponse,
    Outcome,
    SessionActivity,
)
from jobhelp.intake.models import ContactAttempt
from jobhelp.reports.filters import ReportFilters
from tests.factories.accounts import staff_member
from tests.factories.casework import HelpSessionFactory
from tests.factories.intake import HelpRequestFactory
from tests.factories.organizations import LocationFactory
from tests.factories.scheduling import AppointmentFactory, AppointmentTypeFactory
from tests.factories.workshops import (
    RegistrationFactory,
    WorkshopFactory,
    WorkshopSessionFactory,
)

CHICAGO = ZoneInfo("America/Chicago")
NOVEMBER = ReportFilters(start=date(2026, 11, 1), end=date(2026, 11, 30))
PRIVATE_NOTE = "PRIVATE-NOTE forklift licence expired"
COMMENT = "PRIVATE-COMMENT Keep offering this type of service!!"


def at(day: int, hour: int = 10, minute: int = 0, *, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=CHICAGO)


@dataclass
class November:
    workshop: object
    requests: dict
    sessions: dict
    ana: object
    bo: object
    elsewhere_helper: object


def _session(request, helper, when, minutes, activities, *, modality="phone"):
    session = HelpSessionFactory(
        request=request,
        helper=helper,
        happened_at=when,
        minutes=minutes,
        modality=modality,
        private_note=PRIVATE_NOTE,
    )
    SessionActivity.objects.bulk_create(
        SessionActivity(session=session, activity=a) for a in activities
    )
    return session


def _outcome(session, kind, day: date):
    Outcome.objects.create(session=session, kind=kind, achieved_on=day)


def _invite(session, n):
    FeedbackInvitation.objects.create(
        session=session, token_hash=f"{n:064d}", expires_at=session.happened_at + timedelta(days=14)
    )


def _answer(session, helpful, recommend, via="link"):
    FeedbackResponse.objects.create(
        session=session,
        helpful=helpful,
        would_recommend=recommend,
        comment=COMMENT,
        may_quote=True,
        via=via,
    )


@pytest.fixture(name="november")
def november_fixture(library, branch, other_library, central) -> November:
    ana = staff_member(library, Role.HELPER, first_name="Ana", last_name="Reyes")
    bo = staff_member(branch, Role.HELPER, first_name="Bo", last_name="Lee")
    elsewhere_helper = staff_member(other_library, Role.HELPER, first_name="Eli")
    in_person = AppointmentTypeFactory(organization=library, modality="in_person")
    elsewhere = LocationFactory(organization=other_library, time_zone="America/Chicago")
    elsewhere_type = AppointmentTypeFactory(organization=other_library, modality="in_person")

    def request(name, organization, channel, created, **fields):
        return HelpRequestFactory(
            organization=organization,
            reference=name.upper().ljust(6, "X"),
            channel=channel,
            created_at=created,
            consent_at=created,
            assigned_to=ana if organization == library else None,
            **fields,
        )

    r = {}
    for name, channel, created in [
        ("r1", "web", at(1, 0, 0)),
        ("r2", "web", at(2)),
        ("r3", "web", at(3)),
        ("r4", "web", at(4)),
        ("r5", "phone", at(5)),
        ("r6", "phone", at(6)),
        ("r7", "phone", at(7)),
        ("r8", "phone", at(8)),
        ("r9", "email", at(9)),
        ("r10", "email", at(30, 23, 59)),
        ("o0", "web", at(10, month=10)),
        ("o1", "web", at(31, 23, 59, month=10)),
        ("d1", "web", at(1, 0, 0, month=12)),
    ]:
        r[name] = request(name, library, channel, created)
    for name, channel, day in [
        ("b1", "web", 10),
        ("b2", "web", 11),
        ("b3", "web", 12),
        ("b4", "phone", 13),
    ]:
        r[name] = request(name, branch, channel, at(day), language="es", needs=["digital"])
    for n in range(6):
        r[f"x{n}"] = request(f"x{n}", other_library, "web", at(10 + n))

    for name, hours in [("r1", 1), ("r2", 2), ("r3", 3), ("r4", 4), ("r5", 10)]:
        ContactAttempt.objects.create(
            request=r[name],
            channel="phone",
            outcome="reached",
            created_at=r[name].created_at + timedelta(hours=hours),
        )
    ContactAttempt.objects.create(
        request=r["r4"],
        channel="phone",
        outcome="voicemail",
        created_at=r["r4"].created_at + timedelta(hours=30),
    )
    for name, days in [("r1", 1), ("r2", 2), ("r3", 2), ("r4", 4), ("r5", 6), ("r6", 8)]:
        help_request = r[name]
        help_request.state, help_request.closing_reason = "resolved", "helped"
        help_request.finished_at = help_request.created_at + timedelta(days=days)
        help_request.save()
    r["r7"].state, r["r7"].closing_reason = "closed", "no_response"
    r["r7"].finished_at = r["r7"].created_at + timedelta(days=1)
    r["r7"].save()

    def appointment(name, starts, state, **fields):
        return AppointmentFactory(
            request=r[name],
            helper=ana,
            location=central,
            appointment_type=in_person,
            starts=starts,
            state=state,
            **fields,
        )

    appointment("r1", at(3), "attended")
    moved = appointment("r2", at(4), "cancelled")
    appointment("r2", at(5), "attended", rescheduled_from=moved, sequence=1)
    appointment("r5", at(12), "attended")
    appointment("r8", at(20), "attended")
    appointment("r9", at(21), "attended")
    appointment("b1", at(15), "attended")
    appointment("r3", at(6), "no_show")
    appointment("r4", at(9), "no_show")
    appointment("r6", at(10), "cancelled_late")
    appointment("d1", at(1, month=12), "attended")
    appointment("o0", at(15, month=10), "attended")
    AppointmentFactory(
        request=r["x0"],
        helper=elsewhere_helper,
        location=elsewhere,
        appointment_type=elsewhere_type,
        starts=at(10),
        state="attended",
    )

    s = {
        "a1": _session(r["r1"], ana, at(3), 30, ["resume_reviewed", "referral"]),
        "a2": _session(r["r2"], ana, at(5), 30, ["resume_reviewed"]),
        "a3": _session(r["r5"], ana, at(12), 30, ["resume_reviewed", "applications"]),
        "a4": _session(r["r8"], ana, at(20), 45, ["resume_reviewed", "referral"]),
        "a5": _session(r["r9"], ana, at(21), 45, ["digital"]),
        "b1": _session(r["b1"], bo, at(15), 20, ["resume_reviewed"], modality="in_person"),
        "o0": _session(r["o0"], ana, at(15, month=10), 30, ["resume_drafted"]),
        "x0": _session(r["x0"], elsewhere_helper, at(11), 60, ["resume_reviewed"]),
    }
    for name in ["a1", "a2", "a3", "a4", "a5"]:
        _outcome(s[name], "applied", date(2026, 11, 25))
    _outcome(s["a3"], "hired", date(2026, 11, 28))
    _outcome(s["a1"], "referred", date(2026, 11, 3))
    _outcome(s["a4"], "referred", date(2026, 11, 20))
    _outcome(s["a5"], "interview", date(2026, 12, 2))
    _outcome(s["o0"], "resume_completed", date(2026, 10, 15))
    _outcome(s["x0"], "hired", date(2026, 11, 20))

    for n, name in enumerate(["a1", "a2", "a3", "a4", "a5", "x0"]):
        _invite(s[name], n)
    _answer(s["a1"], 5, True)
    _answer(s["a2"], 4, True)
    _answer(s["a3"], 4, False)
    _answer(s["a4"], 3, True)
    _answer(s["b1"], 5, True, via="phone")
    _answer(s["x0"], 1, False)
    # A class held on 18 November: six people registered, five came; a session in December
    # and a cancelled one are not counted.
    tips = WorkshopFactory(organization=library, title="Interview tips", capacity=12)
    held = WorkshopSessionFactory(workshop=tips, location=central, starts=at(18, 14))
    for n, state in enumerate(["attended"] * 5 + ["no_show"]):
        RegistrationFactory(session=held, state=state, phone=f"+1612555{n:04d}")
    WorkshopSessionFactory(workshop=tips, location=central, starts=at(2, 14, month=12))
    WorkshopSessionFactory(workshop=tips, location=central, starts=at(25, 14), state="cancelled")
    _referrals(library)
    return November(
        requests=r,
        sessions=s,
        ana=ana,
        bo=bo,
        elsewhere_helper=elsewhere_helper,
        workshop=tips,
    )


@pytest.fixture(name="branch_manager")
def branch_manager_fixture(branch):
    return staff_member(branch, Role.MANAGER)


@pytest.fixture(name="other_manager")
def other_manager_fixture(other_library):
    return staff_member(other_library, Role.MANAGER)


def _referrals(library):
    from tests.factories.directory import ServiceFactory
    from tests.factories.partnerships import WorkforceCenterFactory
    from tests.factories.referrals import ReferralFactory

    center = WorkforceCenterFactory(name="Riverbend WorkForce Center")
    wioa = ServiceFactory(organization=center, name="WIOA career services")
    resume = ServiceFactory(organization=library, name="Resumé help")
    ReferralFactory(
        from_organization=library,
        service=wioa,
        sent_at=at(3),
        first_response_at=at(4),
        state="completed",
        outcome="got_help",
        closed_at=at(20),
    )
    ReferralFactory(
        from_organization=library,
        service=wioa,
        sent_at=at(5),
        first_response_at=at(9),
        state="declined",
        decline_reason="no_capacity",
        closed_at=at(9),
    )
    ReferralFactory(
        from_organization=center,
        service=resume,
        sent_at=at(6),
        state="accepted",
        first_response_at=at(7),
    )
