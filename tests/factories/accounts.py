import factory

from jobhelp.accounts.enums import Role
from jobhelp.accounts.models import Membership, Qualification, SpokenLanguage, User
from tests.factories.organizations import OrganizationFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Sequence(lambda n: f"Staff{n}")
    last_name = "Member"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a-long-test-password")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.FRONT_DESK


def staff_member(organization, role=Role.FRONT_DESK, *, needs=(), languages=(), **user_fields):
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organization=organization, role=role)
    for need in needs:
        Qualification.objects.create(user=user, need=need)
    for language in languages:
        SpokenLanguage.objects.create(user=user, language=language)
    return user
