"""Materials written as they are, without the domain's checks (uploading, confirming and
importing go through materials.domain, titles and imports in the tests that test them)."""

from datetime import date

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from jobhelp.materials.enums import (
    Audience,
    Circulation,
    FileKind,
    MaterialKind,
    OrderState,
    TitleFormat,
)
from jobhelp.materials.models import (
    Material,
    MaterialTarget,
    ReferenceTitle,
    Sharing,
    TitleOrder,
)
from jobhelp.materials.validators import match_key
from tests.factories.organizations import LocationFactory, OrganizationFactory
from tests.materials.files import pdf


class SharingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sharing

    organization = factory.SubFactory(OrganizationFactory)
    partner = factory.SubFactory(OrganizationFactory)


class MaterialFactory(factory.django.DjangoModelFactory):
    """A monthly flyer for March 2026 by default, with a real PDF in storage."""

    class Meta:
        model = Material

    organization = factory.SubFactory(OrganizationFactory)
    kind = MaterialKind.MONTHLY_FLYER
    title = factory.Sequence(lambda n: f"Workshops this month {n}")
    language = "en"
    valid_from = date(2026, 3, 1)
    valid_until = date(2026, 3, 31)
    audience = Audience.SOME_LOCATIONS
    file = factory.LazyFunction(lambda: ContentFile(pdf(), name="materials/2026/flyer.pdf"))
    file_kind = FileKind.PDF
    file_size = factory.LazyFunction(lambda: len(pdf()))


class MaterialTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaterialTarget

    material = factory.SubFactory(MaterialFactory)
    location = factory.SubFactory(LocationFactory)


class ReferenceTitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferenceTitle

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Occupational Outlook Handbook, volume {n}")
    author = "Bureau of Labor Statistics"
    isbn = ""
    format = TitleFormat.BOOK
    location = factory.SubFactory(
        LocationFactory, organization=factory.SelfAttribute("..organization")
    )
    circulation = Circulation.REFERENCE
    copies = 1
    times_asked = 0
    match_key = factory.LazyAttribute(
        lambda t: match_key(isbn=t.isbn, title=t.title, author=t.author)
    )


class TitleOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TitleOrder

    organization = factory.SubFactory(OrganizationFactory)
    source = factory.SubFactory(ReferenceTitleFactory)
    title = factory.SelfAttribute("source.title")
    author = factory.SelfAttribute("source.author")
    isbn = factory.SelfAttribute("source.isbn")
    match_key = factory.SelfAttribute("source.match_key")
    state = OrderState.ORDERED
    ordered_at = factory.LazyFunction(timezone.now)
