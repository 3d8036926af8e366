"""The demo county's referrals, both ways, through the referrals domain functions and by the
demo's staff: the library's career coach (jrivera) refers patrons to the WorkForce Center's
WIOA career services and adult education, the center's partner staff (dwhite) refers people to
the library's resumé help and job-search workshops. A few states of each kind: waiting (one
overdue), accepted with the patron's spoken consent to share name and phone, in progress,
completed with "got help", declined for lack of capacity, expired, and a walk-in from Northtown
with no record. Past moments are passed as `now=`. Loading it again changes nothing.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from jobhelp.directory.models import Service
from jobhelp.intake.enums import OPEN_STATES
from jobhelp.intake.models import HelpRequest
from jobhelp.organizations.models import Organization
from jobhelp.referrals import domain
from jobhelp.referrals.consent import record_consent
from jobhelp.referrals.domain import ReferralDetails, send_referral
from jobhelp.referrals.models import Referral


def seed() -> None:
    if Referral.objects.exists():
        return
    User = get_user_model()
    coach = User.objects.get(username="jrivera")
    frontdesk = User.objects.get(username="kpatel")
    partner = User.objects.get(username="dwhite")
    center_frontdesk = User.objects.get(username="rkhan")
    system = Organization.objects.get(slug="riverbend-library")
    northtown = Organization.objects.get(slug="northtown")
    center = Organization.objects.get(slug="riverbend-workforce")
    wioa = Service.objects.get(organization=center, name="WIOA career services")
    adult_ed = Service.objects.get(organization=center, name="Adult education and GED")
    resume = Service.objects.get(organization=system, name="Resumé help")
    workshops = Service.objects.get(organization=system, name="Job-search workshops")
    library_requests = list(
        HelpRequest.objects.filter(organization=system, state__in=OPEN_STATES).order_by("pk")[:6]
    )
    center_requests = list(HelpRequest.objects.filter(organization=center).order_by("pk")[:2])
    now = timezone.now()

    def days_ago(days: float):
        return now - timedelta(days=days)

    def refer(help_request, service, by, when, **details):
        values = {"reason": "program", "need": "coaching", "urgency": "routine", **details}
        return send_referral(
            service=service,
            by=by,
            help_request=help_request,
            details=ReferralDetails(**values),
            now=when,
        )

    # Accepted, with the patron's spoken consent to share name and phone for 30 days, and in
    # progress at the center.
    first = refer(library_requests[0], wioa, coach, days_ago(6), note="Laid off in May.")
    record_consent(
        first,
        by=coach,
        fields=["name", "phone"],
        purpose="So the center can call them about WIOA career services.",
        until=timezone.localdate() + timedelta(days=30),
        method="spoken",
        now=days_ago(6),
    )
    first = domain.accept_referral(first, by=partner, now=days_ago(5))
    domain.start_referral(first, by=partner, now=days_ago(4))

    # Completed: got help.
    helped = refer(library_requests[1], wioa, coach, days_ago(20), urgency="soon")
    helped = domain.accept_referral(helped, by=partner, now=days_ago(19))
    domain.complete_referral(helped, by=partner, outcome="got_help", now=days_ago(8))

    # Declined for lack of capacity.
    declined = refer(library_requests[2], adult_ed, coach, days_ago(12), need="adult_ed")
    domain.decline_referral(
        declined,
        by=center_frontdesk,
        reason="no_capacity",
        note="The GED class is full.",
        now=days_ago(11),
    )

    # Waiting: one overdue, one just sent.
    refer(library_requests[3], wioa, coach, days_ago(5), need="unemployment")
    refer(library_requests[4], wioa, coach, days_ago(0.1), reason="specialist")

    # Expired: nobody answered in time.
    refer(library_requests[5], adult_ed, coach, days_ago(40), need="adult_ed")
    domain.expire_referrals(now=now)

    # A walk-in at Northtown with no record.
    send_referral(
        service=wioa,
        by=frontdesk,
        from_organization=northtown,
        details=ReferralDetails(reason="not_offered", need="unemployment", language="so"),
        now=days_ago(2),
    )

    # The center refers its own job seekers to the library.
    if center_requests:
        back = refer(center_requests[0], resume, partner, days_ago(9), need="resume")
        back = domain.accept_referral(back, by=coach, now=days_ago(8))
        domain.complete_referral(back, by=coach, outcome="got_help", now=days_ago(3))
    if len(center_requests) > 1:
        refer(center_requests[1], workshops, partner, days_ago(1), need="interview")
