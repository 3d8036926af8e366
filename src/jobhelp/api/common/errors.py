"""Errors as the API answers them: input a form refused or that cannot be used is a 422 with
messages by field; a move the domain refused is a 409 with its message. Nothing was changed in
either case."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Status

from jobhelp.api.common.schemas import person
from jobhelp.core import security
from jobhelp.intake.triage import AlreadyTaken, TriageError
from jobhelp.scheduling.domain import BookingError


class InvalidInput(Exception):
    """Input that is well-formed JSON but not usable; a 422 with messages by field."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(errors)


def invalid(form) -> Status:
    """422 with the form's messages by field, as the staff page shows them."""
    errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
    return Status(422, {"detail": "The request is not valid.", "errors": errors})


def add_exception_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(Http404)
    def not_found(request, error: Http404):
        """A scoped lookup found nothing: another organization's object, or a guess."""
        security.event("not_found.scoped", request=request)
        return api.create_response(request, {"detail": "Not Found"}, status=404)

    @api.exception_handler(TriageError)
    def triage_refused(request, error: TriageError):
        """A move the domain refused, with its message; nothing was changed. When someone else
        changed the assignment first, the answer also says who has the request now."""
        body = {"detail": str(error)}
        if isinstance(error, AlreadyTaken):
            body["assigned_to"] = person(error.assigned_to)
        return api.create_response(request, body, status=409)

    @api.exception_handler(BookingError)
    def booking_refused(request, error: BookingError):
        """A booking, cancellation or mark the domain refused, with its message; nothing was
        changed. (A time just taken is answered in api/scheduling, with the next free
        times.)"""
        return api.create_response(request, {"detail": str(error)}, status=409)

    @api.exception_handler(InvalidInput)
    def invalid_input(request, error: InvalidInput):
        """Well-formed input that cannot be used, with a message per field; nothing was
        changed."""
        return api.create_response(
            request, {"detail": _("The request is not valid."), "errors": error.errors}, status=422
        )
