"""The request form, and the page that gives the patron their reference code."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from jobhelp.intake.domain import submit_request
from jobhelp.intake.enums import IntakeChannel
from jobhelp.intake.forms import PublicHelpRequestForm
from jobhelp.intake.patrons import patron_address
from jobhelp.intake.queries import same_request_just_sent
from jobhelp.notifications.enums import MessageChannel
from jobhelp.organizations.models import Organization
from jobhelp.organizations.queries import (
    locations_for_public_form,
    phone_for_patrons,
    public_organization,
)
from jobhelp.public.common.limits import count_send, may_send

RECEIVED_PAGE_SECONDS = 15 * 60
RATE_SCOPE = "help_form"


@require_http_methods(["GET", "POST"])
def help_form(request: HttpRequest, slug: str = "") -> HttpResponse:
    """The request form. A valid send is first compared with what this person sent in the last
    few minutes (the same send again shows the earlier confirmation), then checked against the
    form's limits (public.common.limits), submitted and counted; a form with mistakes counts
    nothing."""
    organization = public_organization(slug or settings.PUBLIC_ORGANIZATION_SLUG)
    if organization is None:
        raise Http404
    locations = locations_for_public_form(organization)
    if request.method == "POST":
        form = PublicHelpRequestForm(request.POST, locations=locations)
        if form.is_valid():
            details = form.details()
            help_request = same_request_just_sent(
                organization,
                name=details.name,
                phone=details.phone,
                email=details.email,
                needs=details.needs,
            )
            if help_request is None:
                if not may_send(request, RATE_SCOPE):
                    # Keep what they typed and tell them how else to reach us; a bare 429 page
                    # would lose their work.
                    return render(
                        request,
                        "public/help/form.html",
                        {"form": form, "organization": organization, "rate_limited": True},
                        status=429,
                    )
                help_request = submit_request(
                    organization=organization, details=details, channel=IntakeChannel.WEB
                )
                count_send(request, RATE_SCOPE)
            _remember(request, help_request, organization)
            return redirect("public:help:received")
    else:
        # Someone reading the page in Spanish most likely wants help in Spanish.
        form = PublicHelpRequestForm(locations=locations, initial={"language": get_language()})
    return render(request, "public/help/form.html", {"form": form, "organization": organization})


def _remember(request: HttpRequest, help_request, organization: Organization) -> None:
    """What the confirmation page that follows shows, for a few minutes."""
    address = patron_address(help_request)
    request.session["last_request"] = {
        "reference": help_request.display_reference,
        "email_given": bool(help_request.email),
        "text_sent": address is not None and address.channel == MessageChannel.SMS,
        # The page that follows gives the number of the organization the request went to (a
        # branch, when the patron chose one of its libraries), not the form's.
        "organization_id": help_request.organization_id,
        # The header keeps the name of the organization whose form was sent.
        "form_organization": organization.name,
        "at": timezone.now().timestamp(),
    }


def help_received(request: HttpRequest) -> HttpResponse:
    last = request.session.get("last_request")
    # Library computers are shared: after a few minutes the next person at the keyboard must
    # not see the previous patron's reference code.
    if not last or timezone.now().timestamp() - last["at"] > RECEIVED_PAGE_SECONDS:
        request.session.pop("last_request", None)
        return redirect("public:help:form")
    return render(
        request,
        "public/help/received.html",
        {
            "reference": last["reference"],
            "email_given": last["email_given"],
            "text_sent": last.get("text_sent", False),
            "form_organization": last.get("form_organization", ""),
            "phone": phone_for_patrons(
                Organization.objects.filter(pk=last.get("organization_id")).first()
            ),
        },
    )
