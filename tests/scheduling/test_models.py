from datetime import time

import pytest
from django.db import IntegrityError, connection, transaction

from jobhelp.scheduling.enums import AppointmentState, ExceptionKind
from jobhelp.scheduling.models import AvailabilityException, WeeklyHours
from tests.factories.scheduling import AppointmentFactory, AppointmentTypeFactory
from tests.scheduling.times import local


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints need it")
def test_postgresql_refuses_overlapping_booked_appointments(hana, central, library):
    padded = AppointmentTypeFactory(organization=library, padding_after=15)
    AppointmentFactory(
        helper=hana, location=central, appointment_type=padded, starts=local(2026, 3, 2, 10)
    )
    plain = AppointmentTypeFactory(organization=library)

    # 10:30 starts inside the first one's 15 minutes of padding.
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(
            helper=hana, location=central, appointment_type=plain, starts=local(2026, 3, 2, 10, 30)
        )
    # Cancelled appointments and the end of the padding do not conflict.
    AppointmentFactory(
        helper=hana,
        location=central,
        appointment_type=plain,
        starts=local(2026, 3, 2, 10),
        state=AppointmentState.CANCELLED,
    )
    AppointmentFactory(
        helper=hana, location=central, appointment_type=plain, starts=local(2026, 3, 2, 10, 45)
    )


def test_hours_must_start_before_they_end(hana, central):
    with pytest.raises(IntegrityError), transaction.atomic():
        WeeklyHours.objects.create(
            helper=hana, location=central, weekday=0, starts=time(12), ends=time(9)
        )


def test_extra_hours_need_a_location(hana):
    with pytest.raises(IntegrityError), transaction.atomic():
        AvailabilityException.objects.create(
            helper=hana, location=None, date=local(2026, 3, 2).date(), kind=ExceptionKind.EXTRA
        )


def test_administrators_set_up_appointments_in_the_admin(admin_client, library):
    from tests.factories.scheduling import AppointmentTypeFactory

    AppointmentTypeFactory(organization=library, name="Phone help")
    pages = [
        "/admin/scheduling/appointmenttype/",
        "/admin/scheduling/appointmenttype/add/",
        "/admin/scheduling/weeklyhours/add/",
        "/admin/scheduling/availabilityexception/add/",
        "/admin/scheduling/closure/add/",
        "/admin/scheduling/appointment/",
    ]
    assert [admin_client.get(page).status_code for page in pages] == [200] * len(pages)
    assert admin_client.get("/admin/scheduling/appointment/add/").status_code == 403
