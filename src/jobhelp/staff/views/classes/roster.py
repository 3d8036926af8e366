"""Registering a caller for a session, cancelling a registration and giving a waiting person a
seat."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.forms import OUT_OF_DATE
from jobhelp.staff.forms.classes.registrations import RegisterCallerForm, stored_key
from jobhelp.staff.views.classes.lookups import registration_or_404, roster_url, session_or_404
from jobhelp.staff.views.classes.sessions import session_page
from jobhelp.workshops.domain import cancel_registration, promote, register
from jobhelp.workshops.enums import RegistrationState
from jobhelp.workshops.messages import registrant_address
from jobhelp.workshops.seats import WorkshopError


@staff_member_required
@require_POST
def class_session_register(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_or_404(request.user, pk)
    form = RegisterCallerForm(request.POST, auto_id="id_register_%s")
    if not form.is_valid():
        return session_page(request, session, register_form=form)
    registrant = form.registrant()
    try:
        result = register(
            session,
            registrant=registrant,
            by=request.user,
            idempotency_key=stored_key(request.user, form.cleaned_data["idempotency_key"]),
        )
    except WorkshopError as error:
        form.add_error(None, str(error))
        return session_page(request, session, register_form=form)
    registration = result.registration
    if registration.session_id != session.pk:
        # The same form key came back from another session's page.
        form.add_error(None, OUT_OF_DATE)
        return session_page(request, session, register_form=form)
    name = {"name": registration.name}
    if result.already:
        messages.info(
            request,
            _("%(name)s is already on this session's list (%(state)s).")
            % {**name, "state": registration.get_state_display()},
        )
    elif registration.state == RegistrationState.REGISTERED:
        text = _("%(name)s is registered.") % name
        if registrant_address(registration) is None:
            text += " " + _("They get no messages: read them the date, time and how to join.")
        messages.success(request, text)
    else:
        messages.warning(
            request,
            _("The session is full: %(name)s is on the waitlist and will be offered a seat.")
            % name,
        )
    return redirect(roster_url(session, "registered"))


@staff_member_required
@require_POST
def class_registration_cancel(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    session = session_or_404(request.user, pk)
    registration = registration_or_404(session, registration_pk)
    try:
        cancel_registration(registration, by=request.user)
    except WorkshopError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(name)s's registration is cancelled.") % {"name": registration.name}
        )
    return redirect(roster_url(session, "registered"))


@staff_member_required
@require_POST
def class_registration_promote(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    session = session_or_404(request.user, pk)
    registration = registration_or_404(session, registration_pk)
    try:
        promote(registration, by=request.user)
    except WorkshopError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s has a seat now.") % {"name": registration.name})
    return redirect(roster_url(session, "registered"))
