"""The public side of classes: the calendar of upcoming sessions from every partner, a session's
page with its registration form, the registrant's own page behind the secret link the messages
carry, and iCalendar feeds.

Join details (the video link, the conference number and code) are only for people holding a
seat: they appear on the registrant's page and calendar file when the registration is
"registered", never on the calendar, a session's page or a feed.

Registering: the form carries a fresh key each time it is shown, so the same form sent twice
registers once; the link made by the first send is kept in this browser's session for a few
minutes under that key, and the second send is taken to the same page. Someone else's
registration (the same phone or email sent from another form) is never revealed: they are told
to look at the message we sent.

Reading the secret link never changes anything, because email scanners and link previews open
links: taking an offered seat and leaving are POSTs from forms on the page. Those pages are
kept out of caches, search engines and Referer headers (`core.links.secret_page`), and an
address that tries too many unknown links is answered 429 (`core.links.guarded_lookup`).
"""

import secrets
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.defaultfilters import date as date_format
from django.template.defaultfilters import time as time_format
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from jobhelp.core.enums import Language, Need
from jobhelp.core.i18n import activate_patron_language
from jobhelp.core.links import LinkProblem, guarded_lookup, secret_page
from jobhelp.notifications.outbox import messages_for
from jobhelp.organizations.models import Organization
from jobhelp.organizations.queries import phone_for_patrons, public_organization
from jobhelp.public.common.limits import count_send, may_send
from jobhelp.public.forms.classes import ClassFilterForm, LeaveForm
from jobhelp.workshops import domain, ics, queries
from jobhelp.workshops import links as workshop_links
from jobhelp.workshops.enums import (
    ACTIVE,
    Delivery,
    RegistrationClosed,
    RegistrationState,
    SessionState,
)
from jobhelp.workshops.forms import RATE_SCOPE, ClassRegistrationForm
from jobhelp.workshops.messages import (
    already_registered,
    registrant_address,
    registration_url,
)
from jobhelp.workshops.models import Registration, WorkshopSession
from jobhelp.workshops.seats import WorkshopError

PAGE_SIZE = 20
MAX_ID = 2**63 - 1
OTHER_SESSIONS = 6
# The links just made in this browser, by form key. Library computers are shared: after a few
# minutes the next person at the keyboard must not reach the previous patron's page by sending
# the old form again.
SESSION_KEY = "class_registrations"
REMEMBER_SECONDS = 15 * 60
CALENDAR_TYPE = f"{ics.CONTENT_TYPE}; charset=utf-8"


def _see_other(url: str) -> HttpResponse:
    """After a POST, the page to show next, fetched with GET (a reload does not send again)."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _seats_left(session: WorkshopSession) -> int:
    return max(0, session.capacity - session.held)


def _where(session: WorkshopSession) -> str:
    match session.workshop.delivery:
        case Delivery.IN_PERSON:
            return _("In person at %(place)s") % {"place": session.location.name}
        case Delivery.VIDEO:
            return _("Online, by video link")
        case _:
            return _("Online, by phone conference line")


def _row(session: WorkshopSession) -> dict:
    zone = session.location.zone
    return {
        "session": session,
        "when": session.starts.astimezone(zone),
        "where": _where(session),
        "seats_left": _seats_left(session),
    }


# --- The calendar --------------------------------------------------------------------------------


@require_safe
def classes(request: HttpRequest) -> HttpResponse:
    """Upcoming sessions of every partner, soonest first, narrowed by the filters."""
    now = timezone.now()
    form = ClassFilterForm(request.GET or None, locations=queries.public_locations(now=now))
    sessions = queries.public_sessions(now=now, **form.filters())
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "public/classes/list.html",
        {
            "form": form,
            "page": page,
            "rows": [_row(s) for s in page.object_list],
            "filtered": any(form.filters().values()),
            "query": kept.urlencode(),
            "hosts": queries.host_organizations(now=now),
        },
    )


# --- A session and its registration form ---------------------------------------------------------


def _closed_reason(session: WorkshopSession, now: datetime) -> str:
    """Why registration is closed, in a sentence for the patron; empty while it is open. The
    domain decides (workshops.domain.registration_closed_reason); this page words it."""
    match domain.registration_closed_reason(session, now):
        case RegistrationClosed.CANCELLED:
            return _("This session was cancelled.")
        case RegistrationClosed.STARTED:
            return _("This session has already taken place.")
        case RegistrationClosed.NOT_OPEN_YET:
            zone = session.location.zone
            return _("Registration for this session opens on %(date)s.") % {
                "date": _date(session.registration_opens.astimezone(zone))
            }
        case RegistrationClosed.CLOSED:
            return _("Registration for this session has closed.")
    return ""


def _date(moment: datetime) -> str:
    """As public/includes/when.html shows a moment on its location's clock."""
    day = ", ".join(
        (date_format(moment, "l"), date_format(moment, "DATE_FORMAT"), time_format(moment))
    )
    return f"{day} ({date_format(moment, 'T')})"


def _needs(workshop) -> list[str]:
    labels = dict(Need.choices)
    return [labels[code] for code in workshop.needs if code in labels]


def _remember(request: HttpRequest, key: str, token: str, *, stored: str | None) -> None:
    now = timezone.now().timestamp()
    kept = {
        k: v
        for k, v in request.session.get(SESSION_KEY, {}).items()
        if now - v["at"] <= REMEMBER_SECONDS
    }
    kept[key] = {"token": token, "at": now, "stored": stored}
    request.session[SESSION_KEY] = kept


def _remembered(request: HttpRequest, key: str, *, stored: str | None) -> str | None:
    """The link made by this form in this browser, if the same person's details were sent
    (`stored`, the key made of the form's key and their phone or email): the next person at a
    shared computer who types theirs into the old form is registered, not shown the page."""
    entry = request.session.get(SESSION_KEY, {}).get(key)
    if (
        entry is None
        or entry.get("stored") != stored
        or timezone.now().timestamp() - entry["at"] > REMEMBER_SECONDS
    ):
        return None
    return entry["token"]


def _page_language() -> str:
    language = get_language() or settings.LANGUAGE_CODE
    return language if language in Language.values else Language.ENGLISH


@require_http_methods(["GET", "POST"])
def class_session(request: HttpRequest, pk: int) -> HttpResponse:
    """A session's page, with the registration form while registration is open."""
    # A number past the database's integer range is a page that cannot exist (SQLite would
    # refuse the query itself).
    session = queries.public_session(pk) if pk <= MAX_ID else None
    if session is None:
        raise Http404
    now = timezone.now()
    closed = _closed_reason(session, now)
    if request.method == "GET" or closed:
        # A POST to a closed session (the page was open a while) shows why, without a form.
        form = ClassRegistrationForm(initial={"language": _page_language()})
        status = 409 if request.method == "POST" else 200
        return _session_page(request, session, form, now=now, status=status)

    form = ClassRegistrationForm(request.POST)
    if not form.is_valid():
        # Mistakes count nothing against the limits (public.common.limits).
        return _session_page(request, session, form, now=now)
    sent_key = form.cleaned_data["idempotency_key"]
    key = form.stored_key(session, interface="page")
    token = _remembered(request, sent_key, stored=key)
    if token is not None:
        # The same form, with the same person's details, sent twice from this browser: the
        # page the first send made, without counting it again.
        return _see_other(reverse("public:classes:registration", args=[token]))
    if not may_send(request, RATE_SCOPE):
        # Keep what they typed and tell them how else to reach us.
        return _session_page(request, session, form, now=now, rate_limited=True, status=429)
    try:
        result = domain.register(
            session, registrant=form.registrant(), idempotency_key=key, now=now
        )
    except WorkshopError as error:
        form.add_error(None, str(error))
        return _session_page(request, session, form, now=now, status=409)
    if result.token is not None:
        count_send(request, RATE_SCOPE)
        _remember(request, sent_key, result.token, stored=key)
        return _see_other(reverse("public:classes:registration", args=[result.token]))
    form.add_error(None, already_registered(result.registration))
    return _session_page(request, session, form, now=now, status=409)


def _session_page(
    request: HttpRequest,
    session: WorkshopSession,
    form: ClassRegistrationForm,
    *,
    now: datetime,
    rate_limited: bool = False,
    status: int = 200,
) -> HttpResponse:
    workshop = session.workshop
    zone = session.location.zone
    others = queries.upcoming_sessions(now=now).filter(workshop=workshop).exclude(pk=session.pk)
    return render(
        request,
        "public/classes/session.html",
        {
            "session": session,
            "workshop": workshop,
            "co_hosts": list(workshop.co_hosts.order_by("name")),
            "needs": _needs(workshop),
            "when": session.starts.astimezone(zone),
            "ends": session.ends.astimezone(zone),
            "in_person": workshop.delivery == Delivery.IN_PERSON,
            "where": _where(session),
            "seats_left": _seats_left(session),
            "closed": _closed_reason(session, now),
            "cancelled": session.state == SessionState.CANCELLED,
            "others": [_row(s) for s in others[:OTHER_SESSIONS]],
            "form": form,
            "idempotency_key": secrets.token_urlsafe(24),
            "rate_limited": rate_limited,
            "organization": workshop.organization,
            "phone": phone_for_patrons(workshop.organization),
        },
        status=status,
    )


# --- The registrant's page -----------------------------------------------------------------------


def _link_problem(request: HttpRequest, problem: LinkProblem) -> HttpResponse:
    return render(
        request,
        "public/classes/link_problem.html",
        {
            "problem": problem,
            "organization": public_organization(settings.PUBLIC_ORGANIZATION_SLUG),
        },
        status=problem.status,
    )


def _open(request: HttpRequest, token: str) -> tuple[Registration | None, HttpResponse | None]:
    """(registration, None), or (None, the page that explains why the link does not work). The
    pages behind a good link are in the language the registrant chose for their messages."""
    try:
        found = guarded_lookup(request, lambda: workshop_links.registration_for_token(token))
    except LinkProblem as problem:
        return None, _link_problem(request, problem)
    activate_patron_language(request, found.language)
    return found, None


def _situation(registration: Registration, now: datetime) -> str:
    session = registration.session
    match registration.state:
        case RegistrationState.REGISTERED if session.starts > now:
            return _("You have a seat in this class.")
        case RegistrationState.REGISTERED:
            return _("You had a seat in this class. It has taken place.")
        case RegistrationState.WAITLISTED:
            return _("You are on the waitlist for this class.")
        case RegistrationState.OFFERED if registration.offer_expires_at > now:
            return _("A seat came free and is held for you.")
        case RegistrationState.OFFERED | RegistrationState.LAPSED:
            return _(
                "A seat was held for you, but it was not taken in time, so it went to the "
                "next person waiting."
            )
        case RegistrationState.ATTENDED:
            return _("You came to this class. Thank you!")
        case RegistrationState.NO_SHOW:
            return _("You were marked as not coming to this class.")
        case _ if session.state == SessionState.CANCELLED:
            return _("This session was cancelled.")
        case _:
            return _("You are no longer registered for this class.")


def _told(registration: Registration) -> str:
    """How this person hears from us: "sms" or "email", the way their messages go (the
    latest sent), or "none" when they get no messages; "" once they no longer take part."""
    if registration.state not in ACTIVE:
        return ""
    if registrant_address(registration) is None:
        return "none"
    latest = messages_for(registration).order_by("-created_at", "-pk").first()
    return latest.channel if latest is not None else ""


def _join_details(registration: Registration) -> dict | None:
    """How to join, for someone holding a confirmed seat in an online class only."""
    session = registration.session
    if (
        registration.state != RegistrationState.REGISTERED
        or session.state != SessionState.SCHEDULED
        or session.workshop.delivery == Delivery.IN_PERSON
    ):
        return None
    return {
        "url": session.join_url if session.workshop.delivery == Delivery.VIDEO else "",
        "phone": session.conference_phone if session.workshop.delivery == Delivery.PHONE else "",
        "code": session.conference_code if session.workshop.delivery == Delivery.PHONE else "",
    }


def _registration_page(
    request: HttpRequest,
    registration: Registration,
    *,
    token: str,
    now: datetime,
    leave_form: LeaveForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    session = registration.session
    zone = session.location.zone
    upcoming = session.state == SessionState.SCHEDULED and session.starts > now
    offer_open = (
        registration.state == RegistrationState.OFFERED and registration.offer_expires_at > now
    )
    return render(
        request,
        "public/classes/registration.html",
        {
            "token": token,
            "registration": registration,
            "session": session,
            "workshop": session.workshop,
            "when": session.starts.astimezone(zone),
            "ends": session.ends.astimezone(zone),
            "in_person": session.workshop.delivery == Delivery.IN_PERSON,
            "where": _where(session),
            "situation": _situation(registration, now),
            "told": _told(registration) if upcoming else "",
            "place": domain.waitlist_place(registration),
            "offer_open": offer_open and upcoming,
            "offer_expires": registration.offer_expires_at.astimezone(zone) if offer_open else None,
            "join": _join_details(registration),
            "calendar": registration.state == RegistrationState.REGISTERED and upcoming,
            "may_leave": registration.state in ACTIVE and upcoming,
            "waiting": registration.state == RegistrationState.WAITLISTED,
            "leave_form": leave_form or LeaveForm(),
            "phone": phone_for_patrons(session.workshop.organization),
            "error": error,
        },
        status=status,
    )


@secret_page
@require_safe
def registration(request: HttpRequest, token: str) -> HttpResponse:
    """The registration the link belongs to: the session, where the person stands, and what
    they can do. Changes nothing."""
    found, problem = _open(request, token)
    if problem is not None:
        return problem
    return _registration_page(request, found, token=token, now=timezone.now())


@secret_page
@require_http_methods(["GET", "POST"])
def registration_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Take the seat an offer holds. A GET (a reload, a scanner) only goes back to the page."""
    found, problem = _open(request, token)
    if problem is not None:
        return problem
    if request.method == "GET":
        return redirect("public:classes:registration", token)
    now = timezone.now()
    try:
        domain.accept_offer(found, now=now)
    except WorkshopError as error:
        return _registration_page(
            request, found, token=token, now=now, error=str(error), status=409
        )
    messages.success(request, _("The seat is yours. See you in class!"))
    return _see_other(reverse("public:classes:registration", args=[token]))


@secret_page
@require_http_methods(["GET", "POST"])
def registration_leave(request: HttpRequest, token: str) -> HttpResponse:
    """Give up the seat, the offer or the place on the waitlist, after the patron ticked the
    confirmation box. A GET only goes back to the page."""
    found, problem = _open(request, token)
    if problem is not None:
        return problem
    if request.method == "GET":
        return redirect("public:classes:registration", token)
    now = timezone.now()
    form = LeaveForm(request.POST)
    if not form.is_valid():
        return _registration_page(request, found, token=token, now=now, leave_form=form)
    was_waiting = found.state == RegistrationState.WAITLISTED
    try:
        domain.cancel_registration(found, by=None, now=now)
    except WorkshopError as error:
        return _registration_page(
            request, found, token=token, now=now, error=str(error), status=409
        )
    if was_waiting:
        messages.success(request, _("You left the waitlist."))
    else:
        messages.success(request, _("You left the class. Your seat goes to the next person."))
    return _see_other(reverse("public:classes:registration", args=[token]))


@secret_page
@require_safe
def registration_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """The registrant's calendar file, with the join details, while they hold a seat."""
    found, problem = _open(request, token)
    if problem is not None:
        return problem
    session = found.session
    if found.state != RegistrationState.REGISTERED or session.state != SessionState.SCHEDULED:
        return redirect("public:classes:registration", token)
    text = ics.registrant_calendar(session, url=registration_url(token))
    return _calendar(text, filename="class.ics", download=True)


# --- Feeds ---------------------------------------------------------------------------------------


def _calendar(text: str, *, filename: str, download: bool = False) -> HttpResponse:
    response = HttpResponse(text, content_type=CALENDAR_TYPE)
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_safe
def classes_ics(request: HttpRequest) -> HttpResponse:
    """Every upcoming session, for calendar apps to subscribe to. No join details."""
    sessions = queries.upcoming_sessions(now=timezone.now())
    name = _("Classes – %(site)s") % {"site": settings.SITE_NAME}
    return _calendar(ics.public_calendar(sessions, name=name), filename="classes.ics")


@require_safe
def classes_org_ics(request: HttpRequest, organization: str) -> HttpResponse:
    """The upcoming sessions one organization (or one of its branches) hosts or co-hosts."""
    host = Organization.objects.filter(slug=organization).first()
    if host is None:
        raise Http404
    sessions = queries.public_sessions(now=timezone.now(), organization=host)
    name = _("Classes – %(organization)s") % {"organization": host.name}
    return _calendar(ics.public_calendar(sessions, name=name), filename=f"{host.slug}.ics")
