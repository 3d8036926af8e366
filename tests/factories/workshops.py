from datetime import timedelta

import factory
from django.utils import timezone

from jobhelp.workshops.enums import Delivery
from jobhelp.workshops.models import Workshop, WorkshopSession
from tests.factories.organizations import LocationFactory, OrganizationFactory


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Online Interviewing Tips {n}")
    description = "Put your best face forward: practise video interviews."
    capacity = 12
    delivery = Delivery.VIDEO
    needs = factory.LazyFunction(lambda: ["interview"])


class WorkshopSessionFactory(factory.django.DjangoModelFactory):
    """A session written as it is, without schedule_sessions' checks; tomorrow by default."""

    class Meta:
        model = WorkshopSession

    workshop = factory.SubFactory(WorkshopFactory)
    location = factory.SubFactory(
        LocationFactory, organization=factory.SelfAttribute("..workshop.organization")
    )
    starts = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    ends = factory.LazyAttribute(lambda s: s.starts + timedelta(hours=1))
    capacity = factory.SelfAttribute("workshop.capacity")
    join_url = "https://meet.example.org/interview-tips"


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration written as it is, without register's checks or messages; for the
    states and counts a test needs around it. Registering itself goes through the domain."""

    class Meta:
        model = "workshops.Registration"

    session = factory.SubFactory(WorkshopSessionFactory)
    name = factory.Sequence(lambda n: f"Patron {n}")
    phone = factory.Sequence(lambda n: f"+1763555{n % 10000:04d}")
    person_key = factory.SelfAttribute("phone")
    state = "registered"
