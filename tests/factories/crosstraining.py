"""Cross-training rows written as they are, without the domain's checks: for the state a test
starts from. Tests of a change call the domain function itself."""

from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from stdnum import luhn

from jobhelp.core import crypto
from jobhelp.crosstraining.enums import LoanState, TrainingKind
from jobhelp.crosstraining.models import (
    Card,
    CardLoan,
    Requirement,
    Training,
    TrainingMaterial,
    TrainingRecord,
)
from tests.factories.accounts import UserFactory
from tests.factories.organizations import LocationFactory, OrganizationFactory


def card_number(serial: int, prefix: str = "2") -> str:
    """A valid 14-digit barcode: the prefix, the serial, a Luhn check digit."""
    body = f"{prefix}{serial:0{13 - len(prefix)}d}"
    return body + luhn.calc_check_digit(body)


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    trainer = factory.SubFactory(UserFactory)
    title = "Job-center orientation"
    title_es = "Orientación del centro de empleo"
    kind = TrainingKind.ORIENTATION
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    location = factory.SubFactory(
        LocationFactory, organization=factory.SelfAttribute("..organization")
    )
    place = "Room 2"
    created_by = factory.SelfAttribute("trainer")

    @factory.post_generation
    def audience(self, create, extracted, **kwargs):
        if create and extracted:
            self.audience.set(extracted)


def _tiny_pdf() -> bytes:
    from tests.workshops.files import tiny_pdf

    return tiny_pdf()


class TrainingMaterialFactory(factory.django.DjangoModelFactory):
    """A training's PDF, stored under MEDIA_ROOT (a test sets it to a temporary folder)."""

    class Meta:
        model = TrainingMaterial

    training = factory.SubFactory(TrainingFactory)
    title = "Handout"
    display_name = "handout.pdf"
    file = factory.LazyFunction(lambda: ContentFile(_tiny_pdf(), name="handout.pdf"))
    size = factory.LazyFunction(lambda: len(_tiny_pdf()))
    sha256 = "0" * 64


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    person = factory.SubFactory(UserFactory)
    title = "Job-center orientation"
    kind = TrainingKind.ORIENTATION
    completed_on = factory.LazyFunction(timezone.localdate)
    given_by = "The job center"
    attested_by = factory.SubFactory(UserFactory)


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    organization = factory.SubFactory(OrganizationFactory)
    role = "front_desk"
    kind = TrainingKind.ORIENTATION
    within_days = 60
    refresh_months = 12


class CardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Card
        exclude = ["number"]

    number = factory.Sequence(lambda n: card_number(10000 + n))
    library = factory.SubFactory(OrganizationFactory)
    branch = factory.SubFactory(LocationFactory, organization=factory.SelfAttribute("..library"))
    number_encrypted = factory.LazyAttribute(lambda o: crypto.encrypt(o.number))
    number_digest = factory.LazyAttribute(lambda o: crypto.fingerprint(o.number))
    last_four = factory.LazyAttribute(lambda o: o.number[-4:])


class CardLoanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CardLoan

    card = factory.SubFactory(CardFactory)
    holder = factory.SubFactory(UserFactory)
    state = LoanState.LENT
    issued_on = factory.LazyFunction(timezone.localdate)
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))
    issued_by = factory.SubFactory(UserFactory)
