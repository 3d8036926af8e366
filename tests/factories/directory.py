from datetime import time

import factory

from jobhelp.directory.models import (
    ComputerCount,
    Place,
    PublicComputers,
    Service,
    ServiceAtLocation,
)
from jobhelp.organizations.models import OpeningHours
from tests.factories.organizations import LocationFactory, OrganizationFactory


class ServiceFactory(factory.django.DjangoModelFactory):
    """An entry written as it is, without the domain's checks; changes go through the domain."""

    class Meta:
        model = Service

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Resumé help {n}")
    description = "Bring your resumé or start one with us."
    needs = factory.LazyFunction(lambda: ["resume"])
    access = factory.LazyFunction(lambda: ["walk_in"])
    languages = factory.LazyFunction(lambda: ["en"])


class ServiceAtLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceAtLocation

    service = factory.SubFactory(ServiceFactory)
    location = factory.SubFactory(
        LocationFactory, organization=factory.SelfAttribute("..service.organization")
    )


class PublicComputersFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicComputers

    location = factory.SubFactory(LocationFactory)
    count = 16
    software = factory.LazyFunction(lambda: ["office", "state_job_site"])
    printing = True


class ComputerCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComputerCount

    location = factory.SubFactory(LocationFactory)
    in_use = 10
    waiting = 0
    computers = 16
    source = "staff"


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = "Riverbend"
    postal_code = "55401"
    latitude = "45.100000"
    longitude = "-93.300000"


def open_every_day(location, opens=time(9), closes=time(20)):
    """The location open every day of the week, on its own clock."""
    OpeningHours.objects.bulk_create(
        OpeningHours(location=location, weekday=d, opens=opens, closes=closes) for d in range(7)
    )
    return location
