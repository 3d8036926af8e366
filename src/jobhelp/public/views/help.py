"""The request form, and the page that gives the patron their reference code."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from jobhelp.core.clientip import client_ip
from jobhelp.core.ratelimit import hit
from jobhelp.intake.domain import submit_request
from jobhelp.intake.enums import IntakeChannel
from jobhelp.intake.forms import PublicHelpRequestForm
from jobhelp.intake.patrons import patron_address
from jobhelp.notifications.enums import MessageChannel
from jobhelp.organizations.queries import locations_for_public_form, public_organization

RECEIVED_PAGE_SECONDS = 15 * 60


@require_http_methods(["GET", "POST"])
def help_form(request: HttpRequest, slug: str = "") -> HttpResponse:
    organization = public_organization(slug or settings.PUBLIC_ORGANIZATION_SLUG)
    if organization is None:
        raise Http404
    locations = locations_for_public_form(organization)
    status = 200
    if request.method == "POST":
        form = PublicHelpRequestForm(request.POST, locations=locations)
        allowed = hit(
            "help_form",
            client_ip(request),
            limit=settings.FORM_RATE_LIMIT,
            window_seconds=settings.FORM_RATE_WINDOW_SECONDS,
        )
        if not allowed:
            # Keep what they typed and tell them how else to reach us; a bare 429 page would
            # lose their work.
            status = 429
            form.is_valid()
            return render(
                request,
                "public/help/form.html",
                {
                    "form": form,
                    "organization": organization,
                    "rate_limited": True,
                },
                status=status,
            )
        if form.is_valid():
            help_request = submit_request(
                organization=organization, details=form.details(), channel=IntakeChannel.WEB
            )
            address = patron_address(help_request)
            request.session["last_request"] = {
                "reference": help_request.display_reference,
                "email_given": bool(help_request.email),
                "text_sent": address is not None and address.channel == MessageChannel.SMS,
                # The page that follows gives the phone number of the library whose form was
                # used.
                "organization_slug": organization.slug,
                "at": timezone.now().timestamp(),
            }
            return redirect("public:help:received")
    else:
        # Someone reading the page in Spanish most likely wants help in Spanish.
        form = PublicHelpRequestForm(locations=locations, initial={"language": get_language()})
    return render(
        request,
        "public/help/form.html",
        {"form": form, "organization": organization},
        status=status,
    )


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
            "organization": public_organization(last["organization_slug"]),
        },
    )
