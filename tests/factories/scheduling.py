from datetime import timedelta

import factory

from jobhelp.core.enums import Modality
from jobhelp.scheduling.models import Appointment, AppointmentType, WeeklyHours
from tests.factories.accounts import UserFactory
from tests.factories.organizations import LocationFactory, OrganizationFactory


class AppointmentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppointmentType

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Job help {n}")
    duration = 30
    modality = Modality.PHONE
    booking_window = 28
    needs = factory.LazyFunction(lambda: ["resume"])


class WeeklyHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeeklyHours

    helper = factory.SubFactory(UserFactory)
    location = factory.SubFactory(LocationFactory)
    weekday = 0


def every_day(helper, location, starts, ends) -> None:
    """The same hours on all seven weekdays."""
    for weekday in range(7):
        WeeklyHoursFactory(
            helper=helper, location=location, weekday=weekday, starts=starts, ends=ends
        )


class AppointmentFactory(factory.django.DjangoModelFactory):
    """An appointment written as it is, without book_appointment's checks."""

    class Meta:
        model = Appointment

    helper = factory.SubFactory(UserFactory)
    location = factory.SubFactory(LocationFactory)
    appointment_type = factory.SubFactory(AppointmentTypeFactory)
    ends = factory.LazyAttribute(
        lambda a: a.starts + timedelta(minutes=a.appointment_type.duration)
    )
    blocked_from = factory.LazyAttribute(
        lambda a: a.starts - timedelta(minutes=a.appointment_type.padding_before)
    )
    blocked_until = factory.LazyAttribute(
        lambda a: a.ends + timedelta(minutes=a.appointment_type.padding_after)
    )
