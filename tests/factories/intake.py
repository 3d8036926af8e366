import factory
from django.utils import timezone

from jobhelp.intake.enums import IntakeChannel
from jobhelp.intake.models import HelpRequest, RequestNeed
from tests.factories.organizations import OrganizationFactory


class HelpRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpRequest
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    reference = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"Patron {n}")
    phone = factory.Sequence(lambda n: f"+1763555{n % 10000:04d}")
    email = ""
    preferred_contact = "phone"
    language = "en"
    modality = "phone"
    channel = IntakeChannel.WEB
    consent_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def needs(self, create, extracted, **kwargs):
        for need in extracted or ["resume"]:
            RequestNeed.objects.create(request=self, need=need)


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    """A rule saved as it is, without the renumbering of intake.routing_rules."""

    class Meta:
        model = "intake.RoutingRule"

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Rule {n}")
    position = factory.Sequence(lambda n: n)
    target_role = "helper"
