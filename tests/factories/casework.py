import factory
from django.utils import timezone

from jobhelp.casework.enums import FeedbackVia
from jobhelp.casework.models import FeedbackResponse, FollowUp, HelpSession
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


class FollowUpFactory(factory.django.DjangoModelFactory):
    """A follow-up written as it is, without schedule_follow_up's checks."""

    class Meta:
        model = FollowUp

    session = factory.SubFactory(HelpSessionFactory)
    helper = factory.SelfAttribute("session.helper")
    due_on = factory.LazyFunction(timezone.localdate)
    note = factory.Sequence(lambda n: f"Call back about job {n}")


class FeedbackResponseFactory(factory.django.DjangoModelFactory):
    """The patron's answers written as they are, without submit_feedback's checks."""

    class Meta:
        model = FeedbackResponse

    session = factory.SubFactory(HelpSessionFactory)
    helpful = 5
    would_recommend = True
    comment = ""
    may_quote = False
    via = FeedbackVia.LINK
