"""The demo county's cross-training plan and card pool, made through crosstraining's own
domain functions with a controlled clock: the liaison's tour and orientation twice a year with
library staff attending (and the next orientation scheduled), the library's e-resources training
for the job center's staff; the library's requirements (its front desks and helpers: the
job-center orientation within 60 days, every 12 months; for helpers it qualifies them for
unemployment benefits questions), with some staff current, some due and one lapsed; the five
temporary cards, four lent to the center's staff, one of them expiring next month. Loads once."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from stdnum import luhn

from jobhelp.accounts.enums import Role
from jobhelp.accounts.models import Membership
from jobhelp.crosstraining.attachments import add_material
from jobhelp.crosstraining.domain import (
    TrainingDetails,
    add_requirement,
    mark_attendance,
    record_training_elsewhere,
    schedule_training,
)
from jobhelp.crosstraining.enums import TrainingKind
from jobhelp.crosstraining.lending import add_card, issue_card
from jobhelp.crosstraining.models import Training
from jobhelp.demo import data
from jobhelp.demo.materials import _pdf
from jobhelp.organizations.models import Location, Organization

ZONE = ZoneInfo(data.ZONE)
User = get_user_model()

ORIENTATION = ("Job-center orientation", "Orientación del centro de empleo")
TOUR = ("Tour of the WorkForce Center", "Visita al WorkForce Center")
E_RESOURCES = (
    "The library's e-resources for job seekers",
    "Los recursos electrónicos de la biblioteca para quienes buscan empleo",
)


def _card_number(serial: int) -> str:
    prefix = settings.CROSSTRAINING_CARD_PREFIX
    body = f"{prefix}{serial:0{13 - len(prefix)}d}"
    return body + luhn.calc_check_digit(body)


def _at(day, hour=10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZONE)


def _person(username, first, last, organization, role, joined_days_ago) -> object:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
    )
    if created:
        user.set_password(data.PASSWORD)
        user.date_joined = timezone.now() - timedelta(days=joined_days_ago)
        user.save()
    Membership.objects.get_or_create(user=user, organization=organization, role=role)
    return user


def _held(organization, trainer, title, kind, day, location, audience, present, place):
    """A training scheduled a week before `day` and held on it, with its attendance."""
    training = schedule_training(
        organization,
        by=trainer,
        trainer=trainer,
        details=TrainingDetails(
            title=title[0],
            title_es=title[1],
            kind=kind,
            starts_at=_at(day),
            duration_minutes=90,
            location=location,
            place=place,
            online_link="",
            capacity=20,
            audience=audience,
        ),
        now=_at(day - timedelta(days=7)),
    )
    mark_attendance(training, by=trainer, present=present, now=_at(day, 12))
    return training


def seed() -> None:
    if Training.objects.exists():
        return
    today = timezone.localdate()
    system = Organization.objects.get(slug="riverbend-library")
    center = Organization.objects.get(slug="riverbend-workforce")
    people = {u.username: u for u in User.objects.filter(username__in=[s[0] for s in data.STAFF])}
    lbrooks, mgarcia = people["lbrooks"], people["mgarcia"]
    center_place = Location.objects.filter(organization=center).first()
    central = (
        Location.objects.filter(organization__parent=system, name__icontains="central").first()
        or Location.objects.filter(organization__parent=system).order_by("name").first()
    )
    # Two more front desks: one who started three weeks ago, one whose refresher lapsed.
    newcomer = _person("lsmith", "Lee", "Smith", system, Role.FRONT_DESK, 21)
    lapsed = _person("ewalker", "Eli", "Walker", system, Role.FRONT_DESK, 800)
    for username in ("frontdesk", "kpatel"):
        people[username].date_joined = timezone.now() - timedelta(days=500)
        people[username].save(update_fields=["date_joined"])

    for role, need in ((Role.FRONT_DESK, ""), (Role.HELPER, "unemployment")):
        add_requirement(
            system,
            by=mgarcia,
            role=role,
            kind=TrainingKind.ORIENTATION,
            title=ORIENTATION[0],
            within_days=60,
            refresh_months=12,
            qualifies_for=need,
        )

    # The liaison's tour and orientation, twice a year.
    plan = [
        (350, [people["kpatel"], people["tnguyen"]]),
        (170, [people["pjean"]]),
        (45, [people["frontdesk"], people["aokafor"]]),
    ]
    for days_ago, present in plan:
        day = today - timedelta(days=days_ago)
        _held(center, lbrooks, TOUR, TrainingKind.TOUR, day - timedelta(days=1), center_place,
              [system], present, "Resource room")  # fmt: skip
        _held(center, lbrooks, ORIENTATION, TrainingKind.ORIENTATION, day, center_place,
              [system], present, "Training room B")  # fmt: skip
    upcoming = schedule_training(
        center,
        by=lbrooks,
        trainer=lbrooks,
        details=TrainingDetails(
            title=ORIENTATION[0],
            title_es=ORIENTATION[1],
            kind=TrainingKind.ORIENTATION,
            starts_at=_at(today + timedelta(days=30)),
            duration_minutes=90,
            location=center_place,
            place="Training room B",
            online_link="",
            capacity=20,
            audience=[system],
        ),
    )
    # Its handout, for the library staff who will attend.
    add_material(
        upcoming,
        by=lbrooks,
        title="Orientation handout: the center's online resources",
        upload=SimpleUploadedFile(
            "orientation-handout.pdf",
            _pdf(
                ORIENTATION[0],
                [
                    "CareerOneStop: job search, skills and training finder",
                    "The state job bank: create an account, upload a resume",
                    "Unemployment insurance: filing a weekly claim online",
                    "Who to call at the center: the liaison, Lee Brooks",
                ],
            ),
            "application/pdf",
        ),
    )
    record_training_elsewhere(
        lapsed,
        by=mgarcia,
        title=ORIENTATION[0],
        kind=TrainingKind.ORIENTATION,
        completed_on=today - timedelta(days=430),
        given_by="Riverbend WorkForce Center (before this system)",
        today=today,
    )
    # The library teaches its e-resources to the center's staff.
    _held(system, mgarcia, E_RESOURCES, TrainingKind.E_RESOURCES, today - timedelta(days=90),
          central, [center], [people["dwhite"], people["rkhan"], people["cortiz"]],
          "Central Library computer lab")  # fmt: skip

    # The pool: five cards, four lent, one of them expiring next month.
    lender = people["frontdesk"]
    cards = [
        add_card(system, by=lender, number=_card_number(40001 + i), branch=central)
        for i in range(5)
    ]
    issued = today - timedelta(days=60)
    for card, holder, expires in zip(  # the fifth card stays in the pool
        cards,
        [people["dwhite"], people["rkhan"], people["cortiz"], lbrooks],
        [
            today + timedelta(days=30),
            today + timedelta(days=200),
            today + timedelta(days=200),
            today + timedelta(days=300),
        ],
        strict=False,
    ):
        issue_card(card, by=lender, holder=holder, issued_on=issued, expires_on=expires)
    assert newcomer.pk  # due soon: no training yet, within 60 days of starting
