import factory

from jobhelp.organizations.enums import OrganizationKind
from jobhelp.organizations.models import Location, Organization


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"County Library {n}")
    slug = factory.Sequence(lambda n: f"library-{n}")
    kind = OrganizationKind.LIBRARY_SYSTEM
    accepts_public_requests = True
    phone = "763-555-0100"


class BranchFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"Branch {n}")
    slug = factory.Sequence(lambda n: f"branch-{n}")
    kind = OrganizationKind.BRANCH
    parent = factory.SubFactory(OrganizationFactory)
    accepts_public_requests = False


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Library building {n}")
    street = "100 Main St"
    city = "Riverbend"
    state = "MN"
    postal_code = "55400"
    phone = "763-555-0111"
    time_zone = "America/Chicago"
