import factory
from django.utils import timezone

from jobhelp.casework.models import HelpSession
from tests.factories.accounts import UserFactory
from tests.factories.intake import HelpRequestFactory


class HelpSessionFactory(factory.django.DjangoModelFactory):
    """A session written as it is, without record_session's checks."""

    class Meta:
        model = HelpSession

    request = factory.SubFactory(HelpRequestFactory)
    organization = factory.SelfAttribute("request.organization")
    helper = factory.SubFactory(UserFactory)
    happened_at = factory.LazyFunction(timezone.now)
    modality = "phone"
    minutes = 30
