"""The role x view matrix: every route of the project (tests/test_routes.py lists them), opened by
every kind of person, with the answer each must get. A new view adds a row here; a route with no
row fails `test_every_route_has_a_row`.

Answers: a status code, "login" (a redirect to the login page), or "back" (a redirect elsewhere:
a form's answer, a refused move explained by a message). Each persona runs against a world of its
own (tests/matrix/world.py), row by row in the order below, with a fresh session per row; the
POST rows send no data, so they show who reaches the view, not what a valid form does.

`patron` holds the patron's secret links; everyone else opens the same pages with a link that was
never issued. `admin` is the installation's administrator (a Django superuser, no membership),
`outsider` front desk staff of another library system, `partner_staff` and `liaison` staff of the
workforce center, the others staff of the library system that owns every object in the world
(`privacy_officer` among them: the privacy pages, and what any member of the library may open).
"""

from dataclasses import dataclass

import pytest
from django.test import Client

from jobhelp.directory.taxonomy import TAXONOMY_ID, TERMS
from tests.matrix.world import PERSONAS, World, build_world
from tests.test_routes import all_routes

pytestmark = pytest.mark.django_db

UNKNOWN_LINK = "never-issued-link"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    # The world's class has a flyer; it is stored here, not in the project's media folder.
    settings.MEDIA_ROOT = str(tmp_path)


@dataclass(frozen=True)
class Row:
    route: str
    method: str
    path: object  # (world, persona) -> str
    expected: str  # "persona=answer ..." for every persona


def link(kind: str):
    def path(world: World, persona: str, template: str) -> str:
        token = world.patron_links[kind] if persona == "patron" else UNKNOWN_LINK
        return template.format(token=token)

    return path


def fixed(template: str):
    return lambda world, persona: template.format(w=world)


def patron_link(kind: str, template: str):
    chooser = link(kind)
    return lambda world, persona: chooser(world, persona, template)


def row(route, method, path, expected):
    return Row(route, method, path if callable(path) else fixed(path), expected)


def same(answer: str, **others) -> str:
    answers = dict.fromkeys(PERSONAS, answer)
    answers.update(others)
    return " ".join(f"{persona}={answers[persona]}" for persona in PERSONAS)


ROWS: list[Row] = [
    # --- Public pages ---------------------------------------------------------------------
    row("", "get", "/", same("200")),
    row("help/", "get", "/help/", same("200")),
    row("help/", "post", "/help/", same("200")),
    row("help/received/", "get", "/help/received/", same("back")),
    row("help/<slug:slug>/", "get", "/help/riverbend-workforce/", same("200")),
    row("privacy/", "get", "/privacy/", same("200")),
    row("health/", "get", "/health/", same("200")),
    row("i18n/setlang/", "post", "/i18n/setlang/", same("back")),
    row("appointments/", "get", "/appointments/", same("200")),
    row(
        "appointments/<str:token>/",
        "get",
        patron_link("appointment", "/appointments/{token}/"),
        same("404", patron="200"),
    ),
    row(
        "appointments/<str:token>/cancel/",
        "post",
        patron_link("appointment", "/appointments/{token}/cancel/"),
        same("404", patron="200"),
    ),
    row(
        "appointments/<str:token>/reschedule/",
        "get",
        patron_link("appointment", "/appointments/{token}/reschedule/"),
        same("404", patron="200"),
    ),
    row(
        "appointments/<str:token>/book/",
        "get",
        patron_link("appointment", "/appointments/{token}/book/"),
        same("404", patron="back"),
    ),
    row(
        "survey/<str:token>/",
        "get",
        patron_link("survey", "/survey/{token}/"),
        same("404", patron="200"),
    ),
    row("classes/", "get", "/classes/", same("200")),
    row("classes/calendar.ics", "get", "/classes/calendar.ics", same("200")),
    row("classes/<int:pk>/", "get", "/classes/{w.class_session.pk}/", same("200")),
    row(
        "classes/<slug:organization>/calendar.ics",
        "get",
        "/classes/riverbend/calendar.ics",
        same("200"),
    ),
    row(
        "classes/registration/<str:token>/",
        "get",
        patron_link("registration", "/classes/registration/{token}/"),
        same("404", patron="200"),
    ),
    row(
        "classes/registration/<str:token>/accept/",
        "post",
        patron_link("registration", "/classes/registration/{token}/accept/"),
        same("404", patron="409"),
    ),
    row(
        "classes/registration/<str:token>/calendar.ics",
        "get",
        patron_link("registration", "/classes/registration/{token}/calendar.ics"),
        same("404", patron="200"),
    ),
    row(
        "classes/registration/<str:token>/leave/",
        "post",
        patron_link("registration", "/classes/registration/{token}/leave/"),
        same("404", patron="200"),
    ),
    row(
        "referrals/consent/<str:token>/",
        "get",
        patron_link("referral_consent", "/referrals/consent/{token}/"),
        same("404", patron="200"),
    ),
    row(
        "referrals/consent/<str:token>/confirm/",
        "post",
        patron_link("referral_consent", "/referrals/consent/{token}/confirm/"),
        same("404", patron="200"),
    ),
    row(
        "referrals/consent/<str:token>/withdraw/",
        "post",
        patron_link("referral_consent", "/referrals/consent/{token}/withdraw/"),
        same("404", patron="200"),
    ),
    row(
        "staff/calendar/feed/<str:token>.ics",
        "get",
        lambda w, p: f"/staff/calendar/feed/{w.feed_token if p == 'patron' else UNKNOWN_LINK}.ics",
        same("404", patron="200"),
    ),
    # --- Staff pages ----------------------------------------------------------------------
    row("staff/login/", "get", "/staff/login/", same("back", anonymous="200", patron="200")),
    row("staff/", "get", "/staff/", same("200", anonymous="login", patron="login")),
    row(
        "staff/requests/", "get", "/staff/requests/", same("200", anonymous="login", patron="login")
    ),
    row(
        "staff/requests/new/",
        "get",
        "/staff/requests/new/",
        same("200", anonymous="login", patron="login"),
    ),
    row(
        "staff/requests/<str:reference>/",
        "get",
        "/staff/requests/MTX222/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row("staff/queue/", "get", "/staff/queue/", same("200", anonymous="login", patron="login")),
    row("staff/mine/", "get", "/staff/mine/", same("200", anonymous="login", patron="login")),
    row(
        "staff/calendar/", "get", "/staff/calendar/", same("200", anonymous="login", patron="login")
    ),
    row(
        "staff/calendar/feed/",
        "get",
        "/staff/calendar/feed/",
        same("200", anonymous="login", patron="login"),
    ),
    row(
        "staff/follow-ups/",
        "get",
        "/staff/follow-ups/",
        same("200", anonymous="login", patron="login"),
    ),
    row(
        "staff/feedback/",
        "get",
        "/staff/feedback/",
        same(
            "200",
            anonymous="login",
            patron="login",
            front_desk="403",
            admin="403",
            outsider="403",
            privacy_officer="403",
        ),
    ),
    row(
        "staff/routing/",
        "get",
        "/staff/routing/",
        same("403", anonymous="login", patron="login", manager="200"),
    ),
    row(
        "staff/routing/new/",
        "get",
        "/staff/routing/new/",
        same("403", anonymous="login", patron="login", manager="200"),
    ),
    row(
        "staff/routing/<int:pk>/edit/",
        "get",
        "/staff/routing/{w.rule.pk}/edit/",
        same("403", anonymous="login", patron="login", manager="200"),
    ),
    row(
        "staff/routing/<int:pk>/delete/",
        "get",
        "/staff/routing/{w.rule.pk}/delete/",
        same("403", anonymous="login", patron="login", manager="200"),
    ),
    row(
        "staff/reports/",
        "get",
        "/staff/reports/",
        same("403", anonymous="login", patron="login", manager="200"),
    ),
    row(
        "staff/reports/print/",
        "get",
        "/staff/reports/print/",
        same("403", anonymous="login", patron="login", manager="200"),
    ),
    row(
        "staff/reports/csv/<slug:table>/",
        "get",
        "/staff/reports/csv/requests/",
        same("403", anonymous="login", patron="login", manager="200"),
    ),
    row("staff/tokens/", "get", "/staff/tokens/", same("200", anonymous="login", patron="login")),
    row("staff/account/", "get", "/staff/account/", same("200", anonymous="login", patron="login")),
    # With no authenticator, the second step sends a signed-in person to set one up.
    row(
        "staff/account/verify/",
        "get",
        "/staff/account/verify/",
        same("back", anonymous="login", patron="login"),
    ),
    row(
        "staff/account/two-factor/",
        "get",
        "/staff/account/two-factor/",
        same("200", anonymous="login", patron="login"),
    ),
    # New recovery codes need a session that passed the second factor; force_login's has not.
    row(
        "staff/account/recovery-codes/",
        "post",
        "/staff/account/recovery-codes/",
        same("back", anonymous="login", patron="login"),
    ),
    row("staff/classes/", "get", "/staff/classes/", same("200", anonymous="login", patron="login")),
    row(
        "staff/classes/new/",
        "get",
        "/staff/classes/new/",
        same("200", anonymous="login", patron="login"),
    ),
    row(
        "staff/classes/attendance.csv",
        "get",
        "/staff/classes/attendance.csv",
        same("200", anonymous="login", patron="login"),
    ),
    row(
        "staff/classes/<int:pk>/edit/",
        "get",
        "/staff/classes/{w.workshop.pk}/edit/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "staff/classes/<int:pk>/flyer/",
        "get",
        "/staff/classes/{w.workshop.pk}/flyer/",
        same("200", anonymous="login", patron="login"),
    ),
    row(
        "staff/classes/<int:pk>/schedule/",
        "get",
        "/staff/classes/{w.workshop.pk}/schedule/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "staff/classes/sessions/<int:pk>/",
        "get",
        "/staff/classes/sessions/{w.class_session.pk}/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "staff/classes/sessions/<int:pk>/register/",
        "get",
        "/staff/classes/sessions/{w.class_session.pk}/register/",
        same("405", anonymous="login", patron="login"),
    ),
    row(
        "staff/classes/sessions/<int:pk>/change/",
        "get",
        "/staff/classes/sessions/{w.class_session.pk}/change/",
        same("405", anonymous="login", patron="login"),
    ),
    row(
        "staff/classes/sessions/<int:pk>/cancel/",
        "get",
        "/staff/classes/sessions/{w.class_session.pk}/cancel/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "staff/classes/sessions/<int:pk>/attendance/",
        "get",
        "/staff/classes/sessions/{w.class_session.pk}/attendance/",
        same("405", anonymous="login", patron="login"),
    ),
    row(
        "staff/classes/sessions/<int:pk>/sign-in/",
        "get",
        "/staff/classes/sessions/{w.class_session.pk}/sign-in/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "staff/requests/<str:reference>/book/",
        "get",
        "/staff/requests/MTX222/book/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="403",
        ),
    ),
    row(
        "staff/requests/<str:reference>/sessions/new/",
        "get",
        "/staff/requests/MTX222/sessions/new/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="403",
        ),
    ),
    row(
        "staff/sessions/<int:pk>/outcomes/",
        "get",
        "/staff/sessions/{w.session.pk}/outcomes/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="403",
        ),
    ),
    row(
        "staff/sessions/<int:pk>/follow-up/",
        "get",
        "/staff/sessions/{w.session.pk}/follow-up/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="403",
        ),
    ),
    row(
        "staff/sessions/<int:pk>/phone-feedback/",
        "get",
        "/staff/sessions/{w.session.pk}/phone-feedback/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="403",
        ),
    ),
    row(
        "staff/appointments/<int:pk>/reschedule/",
        "get",
        "/staff/appointments/{w.appointment.pk}/reschedule/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="403",
        ),
    ),
    # A person's data: privacy officers only (tests/privacy); the POST rows send no lookup.
    row(
        "staff/privacy/",
        "get",
        "/staff/privacy/",
        same("403", anonymous="login", patron="login", privacy_officer="200"),
    ),
    row(
        "staff/privacy/",
        "post",
        "/staff/privacy/",
        same("403", anonymous="login", patron="login", privacy_officer="200"),
    ),
    row(
        "staff/privacy/export/",
        "post",
        "/staff/privacy/export/",
        same("403", anonymous="login", patron="login", privacy_officer="400"),
    ),
    row(
        "staff/privacy/erase/",
        "post",
        "/staff/privacy/erase/",
        same("403", anonymous="login", patron="login", privacy_officer="400"),
    ),
    row(
        "staff/referrals/",
        "get",
        "/staff/referrals/",
        same("200", anonymous="login", patron="login"),
    ),
    row(
        "staff/referrals/received.csv",
        "get",
        "/staff/referrals/received.csv",
        same("200", anonymous="login", patron="login"),
    ),
    row(
        "staff/referrals/sent/",
        "get",
        "/staff/referrals/sent/",
        same("200", anonymous="login", patron="login"),
    ),
    row(
        "staff/referrals/new/",
        "get",
        "/staff/referrals/new/",
        same("200", anonymous="login", patron="login", admin="403"),
    ),
    row(
        "staff/referrals/settings/",
        "get",
        "/staff/referrals/settings/",
        same("403", anonymous="login", patron="login", manager="200"),
    ),
    row(
        "staff/requests/<str:reference>/refer/",
        "get",
        "/staff/requests/MTX222/refer/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "staff/referrals/<str:code>/",
        "get",
        "/staff/referrals/{w.referral.code}/",
        same("200", anonymous="login", patron="login", admin="404", outsider="404"),
    ),
    row(
        "staff/referrals/<str:code>/slip/",
        "get",
        "/staff/referrals/{w.referral.code}/slip/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "staff/referrals/<str:code>/consent/",
        "get",
        "/staff/referrals/{w.referral.code}/consent/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    # POSTs with no data: who reaches the view.
    row(
        "staff/requests/new/",
        "post",
        "/staff/requests/new/",
        same("200", anonymous="login", patron="login"),
    ),
    row(
        "staff/requests/<str:reference>/assign/",
        "post",
        "/staff/requests/MTX222/assign/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="back",
        ),
    ),
    row(
        "staff/requests/<str:reference>/claim/",
        "post",
        "/staff/requests/MTX222/claim/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="back",
        ),
    ),
    row(
        "staff/requests/<str:reference>/contact/",
        "post",
        "/staff/requests/MTX222/contact/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="back",
        ),
    ),
    row(
        "staff/requests/<str:reference>/resolve/",
        "post",
        "/staff/requests/MTX222/resolve/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="back",
        ),
    ),
    row(
        "staff/requests/<str:reference>/close/",
        "post",
        "/staff/requests/MTX222/close/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="back",
        ),
    ),
    row(
        "staff/requests/<str:reference>/reopen/",
        "post",
        "/staff/requests/MTX222/reopen/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="back",
        ),
    ),
    row(
        "staff/requests/<str:reference>/offer/",
        "post",
        "/staff/requests/MTX222/offer/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="403",
        ),
    ),
    row(
        "staff/follow-ups/<int:pk>/done/",
        "post",
        "/staff/follow-ups/{w.follow_up.pk}/done/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="403",
        ),
    ),
    row(
        "staff/feedback/<int:pk>/testimonial/",
        "post",
        "/staff/feedback/{w.feedback.pk}/testimonial/",
        same(
            "403",
            anonymous="login",
            patron="login",
            partner_staff="404",
            liaison="404",
            manager="back",
        ),
    ),
    row(
        "staff/appointments/<int:pk>/attended/",
        "post",
        "/staff/appointments/{w.appointment.pk}/attended/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="403",
        ),
    ),
    row(
        "staff/appointments/<int:pk>/no-show/",
        "post",
        "/staff/appointments/{w.appointment.pk}/no-show/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="403",
        ),
    ),
    row(
        "staff/appointments/<int:pk>/cancel/",
        "post",
        "/staff/appointments/{w.appointment.pk}/cancel/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="403",
        ),
    ),
    row(
        "staff/calendar/feed/revoke/",
        "post",
        "/staff/calendar/feed/revoke/",
        same("back", anonymous="login", patron="login"),
    ),
    row(
        "staff/routing/<int:pk>/move/",
        "post",
        "/staff/routing/{w.rule.pk}/move/",
        same("403", anonymous="login", patron="login", manager="400"),
    ),
    row(
        "staff/classes/sessions/<int:pk>/registrations/<int:registration_pk>/promote/",
        "post",
        "/staff/classes/sessions/{w.class_session.pk}/registrations/{w.registration.pk}/promote/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="back",
        ),
    ),
    row(
        "staff/classes/sessions/<int:pk>/registrations/<int:registration_pk>/cancel/",
        "post",
        "/staff/classes/sessions/{w.class_session.pk}/registrations/{w.registration.pk}/cancel/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="back",
        ),
    ),
    # --- The partnership hub (tests/matrix/world.py, build_hub) ---------------------------
    row(
        "staff/partnerships/",
        "get",
        "/staff/partnerships/",
        same("200", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/<int:pk>/",
        "get",
        "/staff/partnerships/{w.hub.partnership.pk}/",
        same("200", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/<int:pk>/agreements/",
        "get",
        "/staff/partnerships/{w.hub.partnership.pk}/agreements/",
        same("200", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/<int:pk>/agreements/new/",
        "get",
        "/staff/partnerships/{w.hub.partnership.pk}/agreements/new/",
        same("back", anonymous="login", patron="login", manager="200", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/<int:pk>/agreements/new/",
        "post",
        "/staff/partnerships/{w.hub.partnership.pk}/agreements/new/",
        same("back", anonymous="login", patron="login", manager="200", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/agreements/<int:pk>/",
        "get",
        "/staff/partnerships/agreements/{w.hub.agreement.pk}/",
        same("200", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/agreements/<int:pk>/edit/",
        "get",
        "/staff/partnerships/agreements/{w.hub.agreement.pk}/edit/",
        same("back", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/agreements/<int:pk>/status/",
        "post",
        "/staff/partnerships/agreements/{w.hub.agreement.pk}/status/",
        same("back", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/agreements/<int:pk>/amend/",
        "get",
        "/staff/partnerships/agreements/{w.hub.agreement.pk}/amend/",
        same("back", anonymous="login", patron="login", manager="200", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/agreements/<int:pk>/amend/",
        "post",
        "/staff/partnerships/agreements/{w.hub.agreement.pk}/amend/",
        same("back", anonymous="login", patron="login", manager="200", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/agreements/<int:pk>/parties/new/",
        "get",
        "/staff/partnerships/agreements/{w.hub.agreement.pk}/parties/new/",
        same("back", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/parties/<int:pk>/sign/",
        "get",
        "/staff/partnerships/parties/{w.hub.party.pk}/sign/",
        same("back", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/parties/<int:pk>/remove/",
        "post",
        "/staff/partnerships/parties/{w.hub.party.pk}/remove/",
        same("back", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/parties/<int:pk>/cost-shares/new/",
        "get",
        "/staff/partnerships/parties/{w.hub.party.pk}/cost-shares/new/",
        same("back", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/cost-shares/<int:pk>/remove/",
        "post",
        "/staff/partnerships/cost-shares/{w.hub.cost_share.pk}/remove/",
        same("back", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/agreements/<int:pk>/attachments/new/",
        "get",
        "/staff/partnerships/agreements/{w.hub.agreement.pk}/attachments/new/",
        same("back", anonymous="login", patron="login", manager="200", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/agreements/<int:pk>/attachments/new/",
        "post",
        "/staff/partnerships/agreements/{w.hub.agreement.pk}/attachments/new/",
        same("back", anonymous="login", patron="login", manager="200", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/attachments/<int:pk>/",
        "get",
        "/staff/partnerships/attachments/{w.hub.attachment.pk}/",
        same("200", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/attachments/<int:pk>/remove/",
        "post",
        "/staff/partnerships/attachments/{w.hub.attachment.pk}/remove/",
        same("back", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/agreements/<int:pk>/obligations/",
        "get",
        "/staff/partnerships/agreements/{w.hub.agreement.pk}/obligations/",
        same("200", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/agreements/<int:pk>/obligations/new/",
        "get",
        "/staff/partnerships/agreements/{w.hub.agreement.pk}/obligations/new/",
        same("back", anonymous="login", patron="login", manager="200", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/obligations/<int:pk>/",
        "get",
        "/staff/partnerships/obligations/{w.hub.obligation.pk}/",
        same("200", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/obligations/<int:pk>/edit/",
        "get",
        "/staff/partnerships/obligations/{w.hub.obligation.pk}/edit/",
        same("back", anonymous="login", patron="login", manager="200", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/occurrences/<int:pk>/done/",
        "get",
        "/staff/partnerships/occurrences/{w.hub.occurrence.pk}/done/",
        same(
            "back",
            anonymous="login",
            patron="login",
            liaison="200",
            manager="200",
            admin="403",
            outsider="403",
        ),
    ),
    row(
        "staff/partnerships/occurrences/<int:pk>/done/",
        "post",
        "/staff/partnerships/occurrences/{w.hub.occurrence.pk}/done/",
        same(
            "back",
            anonymous="login",
            patron="login",
            liaison="200",
            manager="200",
            admin="403",
            outsider="403",
        ),
    ),
    row(
        "staff/partnerships/occurrences/<int:pk>/reopen/",
        "post",
        "/staff/partnerships/occurrences/{w.hub.occurrence.pk}/reopen/",
        same("back", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/occurrences/<int:pk>/evidence/",
        "get",
        "/staff/partnerships/occurrences/{w.hub.kept.pk}/evidence/",
        same("200", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/<int:pk>/meetings/",
        "get",
        "/staff/partnerships/{w.hub.partnership.pk}/meetings/",
        same("200", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/<int:pk>/meetings/new/",
        "get",
        "/staff/partnerships/{w.hub.partnership.pk}/meetings/new/",
        same("back", anonymous="login", patron="login", manager="200", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/meetings/<int:pk>/",
        "get",
        "/staff/partnerships/meetings/{w.hub.meeting.pk}/",
        same("200", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/meetings/<int:pk>/edit/",
        "get",
        "/staff/partnerships/meetings/{w.hub.meeting.pk}/edit/",
        same("back", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/meetings/<int:pk>/cancel/",
        "post",
        "/staff/partnerships/meetings/{w.hub.meeting.pk}/cancel/",
        same("back", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/meetings/<int:pk>/minutes/",
        "get",
        "/staff/partnerships/meetings/{w.hub.meeting.pk}/minutes/",
        same("back", anonymous="login", patron="login", manager="200", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/meetings/<int:pk>/meeting.ics",
        "get",
        "/staff/partnerships/meetings/{w.hub.meeting.pk}/meeting.ics",
        same("200", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/meetings/<int:pk>/attendees/new/",
        "get",
        "/staff/partnerships/meetings/{w.hub.meeting.pk}/attendees/new/",
        same("back", anonymous="login", patron="login", manager="200", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/meetings/<int:pk>/attendees/<int:attendee_pk>/remove/",
        "post",
        "/staff/partnerships/meetings/{w.hub.meeting.pk}/attendees/{w.hub.attendee.pk}/remove/",
        same("back", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/meetings/<int:pk>/action-items/new/",
        "get",
        "/staff/partnerships/meetings/{w.hub.meeting.pk}/action-items/new/",
        same("back", anonymous="login", patron="login", manager="200", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/action-items/<int:pk>/status/",
        "post",
        "/staff/partnerships/action-items/{w.hub.action_item.pk}/status/",
        same("back", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/<int:pk>/grants/",
        "get",
        "/staff/partnerships/{w.hub.partnership.pk}/grants/",
        same("200", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/<int:pk>/grants/new/",
        "get",
        "/staff/partnerships/{w.hub.partnership.pk}/grants/new/",
        same("back", anonymous="login", patron="login", manager="200", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/grants/<int:pk>/",
        "get",
        "/staff/partnerships/grants/{w.hub.grant.pk}/",
        same("200", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/grants/<int:pk>/edit/",
        "get",
        "/staff/partnerships/grants/{w.hub.grant.pk}/edit/",
        same("back", anonymous="login", patron="login", manager="200", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/grants/<int:pk>/status/",
        "post",
        "/staff/partnerships/grants/{w.hub.grant.pk}/status/",
        same("back", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/<int:pk>/log/",
        "get",
        "/staff/partnerships/{w.hub.partnership.pk}/log/",
        same("200", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/<int:pk>/log/new/",
        "get",
        "/staff/partnerships/{w.hub.partnership.pk}/log/new/",
        same("back", anonymous="login", patron="login", liaison="200", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/<int:pk>/log/new/",
        "post",
        "/staff/partnerships/{w.hub.partnership.pk}/log/new/",
        same("back", anonymous="login", patron="login", liaison="200", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/log/<int:pk>/edit/",
        "get",
        "/staff/partnerships/log/{w.hub.log_entry.pk}/edit/",
        same("back", anonymous="login", patron="login", liaison="200", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/<int:pk>/report/",
        "get",
        "/staff/partnerships/{w.hub.partnership.pk}/report/",
        same("200", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/partnerships/<int:pk>/report.csv",
        "get",
        "/staff/partnerships/{w.hub.partnership.pk}/report.csv",
        same("200", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "staff/referrals/new/",
        "post",
        "/staff/referrals/new/",
        same("200", anonymous="login", patron="login", admin="403"),
    ),
    row(
        "staff/referrals/settings/",
        "post",
        "/staff/referrals/settings/",
        same("403", anonymous="login", patron="login", manager="200"),
    ),
    row(
        "staff/requests/<str:reference>/refer/",
        "post",
        "/staff/requests/MTX222/refer/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "staff/referrals/<str:code>/accept/",
        "post",
        "/staff/referrals/{w.referral.code}/accept/",
        same("back", anonymous="login", patron="login", admin="404", outsider="404"),
    ),
    row(
        "staff/referrals/<str:code>/decline/",
        "post",
        "/staff/referrals/{w.referral.code}/decline/",
        same("back", anonymous="login", patron="login", admin="404", outsider="404"),
    ),
    row(
        "staff/referrals/<str:code>/start/",
        "post",
        "/staff/referrals/{w.referral.code}/start/",
        same("back", anonymous="login", patron="login", admin="404", outsider="404"),
    ),
    row(
        "staff/referrals/<str:code>/hold/",
        "post",
        "/staff/referrals/{w.referral.code}/hold/",
        same("back", anonymous="login", patron="login", admin="404", outsider="404"),
    ),
    row(
        "staff/referrals/<str:code>/complete/",
        "post",
        "/staff/referrals/{w.referral.code}/complete/",
        same("back", anonymous="login", patron="login", admin="404", outsider="404"),
    ),
    row(
        "staff/referrals/<str:code>/open-request/",
        "post",
        "/staff/referrals/{w.referral.code}/open-request/",
        same("back", anonymous="login", patron="login", admin="404", outsider="404"),
    ),
    row(
        "staff/referrals/<str:code>/slip/send/",
        "post",
        "/staff/referrals/{w.referral.code}/slip/send/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="back",
        ),
    ),
    row(
        "staff/referrals/<str:code>/consent/",
        "post",
        "/staff/referrals/{w.referral.code}/consent/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "staff/referrals/<str:code>/consent/<int:pk>/withdraw/",
        "post",
        "/staff/referrals/{w.referral.code}/consent/{w.consent.pk}/withdraw/",
        same("back", anonymous="login", patron="login", admin="404", outsider="404"),
    ),
    row(
        "staff/referrals/<str:code>/cancel/",
        "post",
        "/staff/referrals/{w.referral.code}/cancel/",
        same("back", anonymous="login", patron="login", admin="404", outsider="404"),
    ),
    # --- Materials and reference titles ------------------------------------------------
    row(
        "staff/materials/",
        "get",
        "/staff/materials/",
        same("200", anonymous="login", patron="login", admin="403"),
    ),
    row(
        "staff/materials/new/",
        "get",
        "/staff/materials/new/",
        same("200", anonymous="login", patron="login", admin="403"),
    ),
    row(
        "staff/materials/month/",
        "get",
        "/staff/materials/month/",
        same("200", anonymous="login", patron="login", admin="403"),
    ),
    row(
        "staff/materials/<int:pk>/",
        "get",
        "/staff/materials/{w.materials.flyer.pk}/",
        same("200", anonymous="login", patron="login", admin="403", outsider="404"),
    ),
    row(
        "staff/materials/<int:pk>/file/",
        "get",
        "/staff/materials/{w.materials.flyer.pk}/file/",
        same("200", anonymous="login", patron="login", admin="403", outsider="404"),
    ),
    row(
        "staff/materials/<int:pk>/picture.png",
        "get",
        "/staff/materials/{w.materials.flyer.pk}/picture.png",
        same("200", anonymous="login", patron="login", admin="403", outsider="404"),
    ),
    row(
        "staff/materials/class-flyers/<int:pk>/file/",
        "get",
        "/staff/materials/class-flyers/{w.workshop.pk}/file/",
        same(
            "200",
            anonymous="login",
            patron="login",
            partner_staff="404",
            liaison="404",
            admin="403",
            outsider="404",
        ),
    ),
    row(
        "staff/materials/class-flyers/<int:pk>/picture.png",
        "get",
        "/staff/materials/class-flyers/{w.workshop.pk}/picture.png",
        same(
            "200",
            anonymous="login",
            patron="login",
            partner_staff="404",
            liaison="404",
            admin="403",
            outsider="404",
        ),
    ),
    row(
        "staff/titles/",
        "get",
        "/staff/titles/",
        same("200", anonymous="login", patron="login", admin="403"),
    ),
    row(
        "staff/titles/titles.csv",
        "get",
        "/staff/titles/titles.csv",
        same("200", anonymous="login", patron="login", admin="403"),
    ),
    row(
        "staff/titles/new/",
        "get",
        "/staff/titles/new/",
        same("200", anonymous="login", patron="login", admin="403"),
    ),
    row(
        "staff/titles/<int:pk>/edit/",
        "get",
        "/staff/titles/{w.materials.title.pk}/edit/",
        same(
            "200",
            anonymous="login",
            patron="login",
            partner_staff="403",
            liaison="403",
            admin="403",
            outsider="404",
        ),
    ),
    row(
        "staff/titles/import/",
        "get",
        "/staff/titles/import/",
        same("200", anonymous="login", patron="login", admin="403"),
    ),
    row(
        "staff/titles/shelf/",
        "get",
        "/staff/titles/shelf/",
        same("200", anonymous="login", patron="login", admin="403"),
    ),
    row(
        "staff/titles/suggestions/",
        "get",
        "/staff/titles/suggestions/",
        same("200", anonymous="login", patron="login", admin="403"),
    ),
    row(
        "staff/materials/new/",
        "post",
        "/staff/materials/new/",
        same("200", anonymous="login", patron="login", admin="403"),
    ),
    row(
        "staff/materials/<int:pk>/confirm/",
        "post",
        "/staff/materials/{w.materials.flyer.pk}/confirm/",
        same("back", anonymous="login", patron="login", admin="403", outsider="404"),
    ),
    row(
        "staff/materials/<int:pk>/undo/",
        "post",
        "/staff/materials/{w.materials.flyer.pk}/undo/",
        same("back", anonymous="login", patron="login", admin="403", outsider="404"),
    ),
    row(
        "staff/titles/new/",
        "post",
        "/staff/titles/new/",
        same("200", anonymous="login", patron="login", admin="403"),
    ),
    row(
        "staff/titles/<int:pk>/edit/",
        "post",
        "/staff/titles/{w.materials.title.pk}/edit/",
        same(
            "200",
            anonymous="login",
            patron="login",
            partner_staff="403",
            liaison="403",
            admin="403",
            outsider="404",
        ),
    ),
    row(
        "staff/titles/import/",
        "post",
        "/staff/titles/import/",
        same("200", anonymous="login", patron="login", admin="403"),
    ),
    row(
        "staff/titles/import/confirm/",
        "post",
        "/staff/titles/import/confirm/",
        same("back", anonymous="login", patron="login", admin="403"),
    ),
    # The progress of an import: the person who started it and their managers only.
    row(
        "staff/imports/<int:pk>/",
        "get",
        "/staff/imports/{w.import_job.pk}/",
        same("404", anonymous="login", patron="login", front_desk="200", manager="200"),
    ),
    row(
        "staff/titles/<int:pk>/order/",
        "post",
        "/staff/titles/{w.materials.popular.pk}/order/",
        same("back", anonymous="login", patron="login", admin="403", outsider="404"),
    ),
    row(
        "staff/titles/orders/<int:pk>/received/",
        "post",
        "/staff/titles/orders/{w.materials.order.pk}/received/",
        same(
            "back",
            anonymous="login",
            patron="login",
            partner_staff="404",
            liaison="404",
            admin="403",
            outsider="404",
        ),
    ),
    row(
        "staff/titles/orders/<int:pk>/cancel/",
        "post",
        "/staff/titles/orders/{w.materials.order.pk}/cancel/",
        same(
            "back",
            anonymous="login",
            patron="login",
            partner_staff="404",
            liaison="404",
            admin="403",
            outsider="404",
        ),
    ),
    row(
        "staff/titles/<int:pk>/remove/",
        "post",
        "/staff/titles/{w.materials.title.pk}/remove/",
        same(
            "back",
            anonymous="login",
            patron="login",
            partner_staff="403",
            liaison="403",
            admin="403",
            outsider="404",
        ),
    ),
    row(
        "staff/materials/<int:pk>/withdraw/",
        "post",
        "/staff/materials/{w.materials.flyer.pk}/withdraw/",
        same("back", anonymous="login", patron="login", admin="403", outsider="404"),
    ),
    # --- API (by token) -------------------------------------------------------------------
    row("api/v1/", "get", "/api/v1/", same("404")),
    row("api/v1/openapi.json", "get", "/api/v1/openapi.json", same("200")),
    # Materials and reference titles.
    row(
        "api/v1/materials",
        "get",
        "/api/v1/materials",
        same("200", anonymous="401", patron="401", admin="403"),
    ),
    row(
        "api/v1/materials/month",
        "get",
        "/api/v1/materials/month",
        same("200", anonymous="401", patron="401", admin="403"),
    ),
    row(
        "api/v1/materials/<material_id>",
        "get",
        "/api/v1/materials/{w.materials.api.flyer.pk}",
        same("200", anonymous="401", patron="401", admin="403", outsider="404"),
    ),
    row(
        "api/v1/materials/<material_id>/file",
        "get",
        "/api/v1/materials/{w.materials.api.flyer.pk}/file",
        same("200", anonymous="401", patron="401", admin="403", outsider="404"),
    ),
    row(
        "api/v1/titles",
        "get",
        "/api/v1/titles",
        same("200", anonymous="401", patron="401", admin="403"),
    ),
    row(
        "api/v1/titles/suggestions",
        "get",
        "/api/v1/titles/suggestions",
        same("200", anonymous="401", patron="401", admin="403"),
    ),
    row(
        "api/v1/titles/<title_id>",
        "get",
        "/api/v1/titles/{w.materials.api.title.pk}",
        same("200", anonymous="401", patron="401", admin="403", outsider="404"),
    ),
    row(
        "api/v1/materials", "post", "/api/v1/materials", same("422", anonymous="401", patron="401")
    ),
    row(
        "api/v1/materials/<material_id>/confirm",
        "post",
        "/api/v1/materials/{w.materials.api.flyer.pk}/confirm",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/materials/<material_id>/undo",
        "post",
        "/api/v1/materials/{w.materials.api.flyer.pk}/undo",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/titles",
        "post",
        "/api/v1/titles",
        same("422", anonymous="401", patron="401", admin="403"),
    ),
    row(
        "api/v1/titles/<title_id>",
        "put",
        "/api/v1/titles/{w.materials.api.title.pk}",
        same(
            "422",
            anonymous="401",
            patron="401",
            partner_staff="403",
            liaison="403",
            admin="403",
            outsider="404",
        ),
    ),
    row(
        "api/v1/titles/<title_id>/order",
        "post",
        "/api/v1/titles/{w.materials.api.popular.pk}/order",
        same(
            "201",
            anonymous="401",
            patron="401",
            partner_staff="409",
            liaison="409",
            admin="403",
            outsider="404",
        ),
    ),
    row(
        "api/v1/titles/orders/<order_id>/received",
        "post",
        "/api/v1/titles/orders/{w.materials.api.order.pk}/received",
        same(
            "200",
            anonymous="401",
            patron="401",
            partner_staff="404",
            liaison="404",
            admin="403",
            outsider="404",
        ),
    ),
    row(
        "api/v1/titles/orders/<order_id>",
        "delete",
        "/api/v1/titles/orders/{w.materials.api.order.pk}",
        same(
            "409",
            anonymous="401",
            patron="401",
            partner_staff="404",
            liaison="404",
            admin="403",
            outsider="404",
        ),
    ),
    row(
        "api/v1/titles/<title_id>",
        "delete",
        "/api/v1/titles/{w.materials.api.title.pk}",
        same(
            "204",
            anonymous="401",
            patron="401",
            partner_staff="403",
            liaison="403",
            admin="403",
            outsider="404",
        ),
    ),
    row(
        "api/v1/materials/<material_id>/withdraw",
        "post",
        "/api/v1/materials/{w.materials.api.flyer.pk}/withdraw",
        same(
            "409",
            anonymous="401",
            patron="401",
            partner_staff="204",
            liaison="204",
            admin="403",
            outsider="404",
        ),
    ),
    row("api/v1/requests", "get", "/api/v1/requests", same("200", anonymous="401", patron="401")),
    row("api/v1/requests", "post", "/api/v1/requests", same("422", anonymous="401", patron="401")),
    row(
        "api/v1/requests/<reference>",
        "get",
        "/api/v1/requests/MTX222",
        same(
            "404",
            anonymous="401",
            patron="401",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row("api/v1/queue", "get", "/api/v1/queue", same("200", anonymous="401", patron="401")),
    row(
        "api/v1/requests/<reference>/contact-attempts",
        "get",
        "/api/v1/requests/MTX222/contact-attempts",
        same(
            "404",
            anonymous="401",
            patron="401",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "api/v1/requests/<reference>/slots",
        "get",
        "/api/v1/requests/MTX222/slots?type={w.appointment_type.pk}",
        same(
            "404",
            anonymous="401",
            patron="401",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "api/v1/appointment-types",
        "get",
        "/api/v1/appointment-types",
        same("200", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/helpers/<helper_id>/availability",
        "get",
        lambda w, p: f"/api/v1/helpers/{w.people['helper'].pk}/availability",
        same(
            "404",
            anonymous="401",
            patron="401",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "api/v1/appointments/<appointment_id>",
        "get",
        "/api/v1/appointments/{w.appointment.pk}",
        same(
            "404",
            anonymous="401",
            patron="401",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row("api/v1/classes/sessions", "get", "/api/v1/classes/sessions", same("200")),
    row(
        "api/v1/classes/sessions/<session_id>/roster",
        "get",
        "/api/v1/classes/sessions/{w.class_session.pk}/roster",
        same(
            "404",
            anonymous="401",
            patron="401",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    # A person's data through the API: privacy officers' tokens only; no lookup sent (422).
    row(
        "api/v1/privacy/find",
        "post",
        "/api/v1/privacy/find",
        same("403", anonymous="401", patron="401", privacy_officer="422"),
    ),
    row(
        "api/v1/privacy/export",
        "post",
        "/api/v1/privacy/export",
        same("403", anonymous="401", patron="401", privacy_officer="422"),
    ),
    row(
        "api/v1/privacy/erase",
        "post",
        "/api/v1/privacy/erase",
        same("403", anonymous="401", patron="401", privacy_officer="422"),
    ),
    row(
        "api/v1/reports/summary",
        "get",
        "/api/v1/reports/summary",
        same("403", anonymous="401", patron="401", manager="200"),
    ),
    row(
        "api/v1/requests/<reference>/assign",
        "post",
        "/api/v1/requests/MTX222/assign",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/requests/<reference>/claim",
        "post",
        "/api/v1/requests/MTX222/claim",
        same(
            "404",
            anonymous="401",
            patron="401",
            front_desk="409",
            helper="409",
            manager="409",
            privacy_officer="409",
        ),
    ),
    row(
        "api/v1/requests/<reference>/transition",
        "post",
        "/api/v1/requests/MTX222/transition",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/requests/<reference>/contact-attempts",
        "post",
        "/api/v1/requests/MTX222/contact-attempts",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/requests/<reference>/appointments",
        "post",
        "/api/v1/requests/MTX222/appointments",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/appointments/<appointment_id>/reschedule",
        "post",
        "/api/v1/appointments/{w.appointment.pk}/reschedule",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/appointments/<appointment_id>/attended",
        "post",
        "/api/v1/appointments/{w.appointment.pk}/attended",
        same(
            "404",
            anonymous="401",
            patron="401",
            front_desk="409",
            helper="409",
            manager="409",
            privacy_officer="409",
        ),
    ),
    row(
        "api/v1/appointments/<appointment_id>/no-show",
        "post",
        "/api/v1/appointments/{w.appointment.pk}/no-show",
        same(
            "404",
            anonymous="401",
            patron="401",
            front_desk="409",
            helper="409",
            manager="409",
            privacy_officer="409",
        ),
    ),
    row(
        "api/v1/appointments/<appointment_id>/cancel",
        "post",
        "/api/v1/appointments/{w.appointment.pk}/cancel",
        same(
            "404",
            anonymous="401",
            patron="401",
            front_desk="409",
            helper="409",
            manager="409",
            privacy_officer="409",
        ),
    ),
    row(
        "api/v1/classes/sessions/<session_id>/registrations",
        "post",
        "/api/v1/classes/sessions/{w.class_session.pk}/registrations",
        same("422"),
    ),
    row(
        "api/v1/classes/sessions/<session_id>/attendance",
        "post",
        "/api/v1/classes/sessions/{w.class_session.pk}/attendance",
        same("422", anonymous="401", patron="401"),
    ),
    # The partnership hub's API.
    row(
        "api/v1/partnerships",
        "get",
        "/api/v1/partnerships",
        same("200", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/agreements",
        "get",
        "/api/v1/partnerships/agreements",
        same("200", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/agreements",
        "post",
        "/api/v1/partnerships/agreements",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/agreements/<agreement_id>",
        "get",
        "/api/v1/partnerships/agreements/{w.hub.agreement.pk}",
        same("200", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/agreements/<agreement_id>",
        "patch",
        "/api/v1/partnerships/agreements/{w.hub.agreement.pk}",
        same("409", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/agreements/<agreement_id>/transition",
        "post",
        "/api/v1/partnerships/agreements/{w.hub.agreement.pk}/transition",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/agreements/<agreement_id>/parties",
        "get",
        "/api/v1/partnerships/agreements/{w.hub.agreement.pk}/parties",
        same("200", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/agreements/<agreement_id>/parties",
        "post",
        "/api/v1/partnerships/agreements/{w.hub.agreement.pk}/parties",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/parties/<party_id>",
        "patch",
        "/api/v1/partnerships/parties/{w.hub.party.pk}",
        same("409", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/parties/<party_id>/signature",
        "post",
        "/api/v1/partnerships/parties/{w.hub.party.pk}/signature",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/parties/<party_id>/cost-shares",
        "post",
        "/api/v1/partnerships/parties/{w.hub.party.pk}/cost-shares",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/agreements/<agreement_id>/amendments",
        "get",
        "/api/v1/partnerships/agreements/{w.hub.agreement.pk}/amendments",
        same("200", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/agreements/<agreement_id>/amendments",
        "post",
        "/api/v1/partnerships/agreements/{w.hub.agreement.pk}/amendments",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/agreements/<agreement_id>/obligations",
        "get",
        "/api/v1/partnerships/agreements/{w.hub.agreement.pk}/obligations",
        same("200", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/agreements/<agreement_id>/obligations",
        "post",
        "/api/v1/partnerships/agreements/{w.hub.agreement.pk}/obligations",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/obligations/<obligation_id>",
        "get",
        "/api/v1/partnerships/obligations/{w.hub.obligation.pk}",
        same("200", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/obligations/<obligation_id>",
        "patch",
        "/api/v1/partnerships/obligations/{w.hub.obligation.pk}",
        same("409", anonymous="401", patron="401", manager="200", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/obligations/<obligation_id>/occurrences",
        "get",
        "/api/v1/partnerships/obligations/{w.hub.obligation.pk}/occurrences",
        same("200", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/occurrences/<occurrence_id>/done",
        "post",
        "/api/v1/partnerships/occurrences/{w.hub.occurrence.pk}/done",
        same("422", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/occurrences/<occurrence_id>/reopen",
        "post",
        "/api/v1/partnerships/occurrences/{w.hub.occurrence.pk}/reopen",
        same("409", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/meetings",
        "get",
        "/api/v1/partnerships/meetings",
        same("200", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/meetings",
        "post",
        "/api/v1/partnerships/meetings",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/meetings/<meeting_id>",
        "get",
        "/api/v1/partnerships/meetings/{w.hub.meeting.pk}",
        same("200", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/meetings/<meeting_id>",
        "patch",
        "/api/v1/partnerships/meetings/{w.hub.meeting.pk}",
        same("409", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/meetings/<meeting_id>/cancel",
        "post",
        "/api/v1/partnerships/meetings/{w.hub.meeting.pk}/cancel",
        same("409", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/meetings/<meeting_id>/minutes",
        "post",
        "/api/v1/partnerships/meetings/{w.hub.meeting.pk}/minutes",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/meetings/<meeting_id>/action-items",
        "get",
        "/api/v1/partnerships/meetings/{w.hub.meeting.pk}/action-items",
        same("200", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/meetings/<meeting_id>/action-items",
        "post",
        "/api/v1/partnerships/meetings/{w.hub.meeting.pk}/action-items",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/action-items",
        "get",
        "/api/v1/partnerships/action-items",
        same("200", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/action-items/<item_id>",
        "patch",
        "/api/v1/partnerships/action-items/{w.hub.action_item.pk}",
        same("409", anonymous="401", patron="401", manager="200", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/action-items/<item_id>/status",
        "post",
        "/api/v1/partnerships/action-items/{w.hub.action_item.pk}/status",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/grants",
        "get",
        "/api/v1/partnerships/grants",
        same("200", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/grants",
        "post",
        "/api/v1/partnerships/grants",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/grants/<grant_id>",
        "get",
        "/api/v1/partnerships/grants/{w.hub.grant.pk}",
        same("200", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/grants/<grant_id>",
        "patch",
        "/api/v1/partnerships/grants/{w.hub.grant.pk}",
        same("409", anonymous="401", patron="401", manager="200", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/grants/<grant_id>/status",
        "post",
        "/api/v1/partnerships/grants/{w.hub.grant.pk}/status",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/log",
        "get",
        "/api/v1/partnerships/log",
        same("200", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/log",
        "post",
        "/api/v1/partnerships/log",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/log/<entry_id>",
        "get",
        "/api/v1/partnerships/log/{w.hub.log_entry.pk}",
        same("200", anonymous="401", patron="401", admin="403", outsider="403"),
    ),
    row(
        "api/v1/partnerships/log/<entry_id>",
        "patch",
        "/api/v1/partnerships/log/{w.hub.log_entry.pk}",
        same("409", anonymous="401", patron="401", liaison="200", admin="403", outsider="403"),
    ),
    # After the API's rows on it, since the liaison deletes their entry.
    row(
        "staff/partnerships/log/<int:pk>/delete/",
        "post",
        "/staff/partnerships/log/{w.hub.log_entry.pk}/delete/",
        same("back", anonymous="login", patron="login", admin="403", outsider="403"),
    ),
    row(
        "api/v1/referrals",
        "get",
        "/api/v1/referrals",
        same("200", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/referrals/<code>",
        "get",
        "/api/v1/referrals/{w.referral.code}",
        same("200", anonymous="401", patron="401", admin="404", outsider="404"),
    ),
    row(
        "api/v1/referrals",
        "post",
        "/api/v1/referrals",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/referrals/<code>/accept",
        "post",
        "/api/v1/referrals/{w.referral.code}/accept",
        same("409", anonymous="401", patron="401", admin="404", outsider="404"),
    ),
    row(
        "api/v1/referrals/<code>/decline",
        "post",
        "/api/v1/referrals/{w.referral.code}/decline",
        same("422", anonymous="401", patron="401", admin="404", outsider="404"),
    ),
    row(
        "api/v1/referrals/<code>/transition",
        "post",
        "/api/v1/referrals/{w.referral.code}/transition",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/referrals/<code>/consent",
        "post",
        "/api/v1/referrals/{w.referral.code}/consent",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/referrals/<code>/consent/withdraw",
        "post",
        "/api/v1/referrals/{w.referral.code}/consent/withdraw",
        same("409", anonymous="401", patron="401", admin="404", outsider="404"),
    ),
    # --- The directory (tests/matrix/world.py, build_directory) -------------------------------
    row("directory/", "get", "/directory/", same("200")),
    row(
        "directory/<uuid:service_id>/", "get", "/directory/{w.directory.service.uuid}/", same("200")
    ),
    row("computers/", "get", "/computers/", same("200")),
    row(
        "computers/<uuid:location_id>/kiosk/<str:token>/",
        "get",
        lambda w, p: link("kiosk")(w, p, f"/computers/{w.directory.central.uuid}/kiosk/{{token}}/"),
        same("404", patron="200"),
    ),
    row(
        "computers/<uuid:location_id>/kiosk/<str:token>/",
        "post",
        lambda w, p: link("kiosk")(w, p, f"/computers/{w.directory.central.uuid}/kiosk/{{token}}/"),
        same("404", patron="400"),
    ),
    row("api/hsds/", "get", "/api/hsds/", same("200")),
    row("api/hsds/services", "get", "/api/hsds/services", same("200")),
    row(
        "api/hsds/services/<str:service_id>",
        "get",
        "/api/hsds/services/{w.directory.service.uuid}",
        same("200"),
    ),
    row("api/hsds/organizations", "get", "/api/hsds/organizations", same("200")),
    row(
        "api/hsds/organizations/<str:organization_id>",
        "get",
        "/api/hsds/organizations/{w.library.uuid}",
        same("200"),
    ),
    row("api/hsds/service_at_locations", "get", "/api/hsds/service_at_locations", same("200")),
    row(
        "api/hsds/service_at_locations/<str:at_id>",
        "get",
        lambda w, p: f"/api/hsds/service_at_locations/{w.directory.service.places.get().uuid}",
        same("200"),
    ),
    row("api/hsds/taxonomies", "get", "/api/hsds/taxonomies", same("200")),
    row(
        "api/hsds/taxonomies/<str:taxonomy_id>",
        "get",
        lambda w, p: f"/api/hsds/taxonomies/{TAXONOMY_ID}",
        same("200"),
    ),
    row("api/hsds/taxonomy_terms", "get", "/api/hsds/taxonomy_terms", same("200")),
    row(
        "api/hsds/taxonomy_terms/<str:term_id>",
        "get",
        lambda w, p: f"/api/hsds/taxonomy_terms/{TERMS[1].uuid}",
        same("200"),
    ),
    row("api/hsds/package.zip", "get", "/api/hsds/package.zip", same("200")),
    row(
        "api/v1/directory/services",
        "get",
        "/api/v1/directory/services",
        same("200", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/directory/services/<service_id>",
        "get",
        "/api/v1/directory/services/{w.directory.service.uuid}",
        same("200", anonymous="401", patron="401", admin="404"),
    ),
    row(
        "api/v1/directory/locations",
        "get",
        "/api/v1/directory/locations",
        same("200", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/directory/locations/<location_id>/counts",
        "post",
        "/api/v1/directory/locations/{w.directory.central.uuid}/counts",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "staff/directory/",
        "get",
        "/staff/directory/",
        same("200", anonymous="login", patron="login"),
    ),
    row(
        "staff/directory/services/new/",
        "get",
        "/staff/directory/services/new/",
        same("200", anonymous="login", patron="login", admin="403"),
    ),
    row(
        "staff/directory/services/new/",
        "post",
        "/staff/directory/services/new/",
        same("400", anonymous="login", patron="login", admin="403"),
    ),
    row(
        "staff/directory/services/<str:service_id>/",
        "get",
        "/staff/directory/services/{w.directory.service.uuid}/",
        same("200", anonymous="login", patron="login", admin="404"),
    ),
    row(
        "staff/directory/services/<str:service_id>/",
        "get",
        "/staff/directory/services/{w.directory.center_service.uuid}/",
        same("200", anonymous="login", patron="login", admin="404"),
    ),
    row(
        "staff/directory/services/<str:service_id>/edit/",
        "get",
        "/staff/directory/services/{w.directory.service.uuid}/edit/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "staff/directory/services/<str:service_id>/edit/",
        "post",
        "/staff/directory/services/{w.directory.service.uuid}/edit/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="400",
            helper="400",
            manager="400",
            privacy_officer="400",
        ),
    ),
    row(
        "staff/directory/services/<str:service_id>/staff-details/",
        "get",
        "/staff/directory/services/{w.directory.service.uuid}/staff-details/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "staff/directory/services/<str:service_id>/staff-details/",
        "post",
        "/staff/directory/services/{w.directory.service.uuid}/staff-details/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="back",
        ),
    ),
    row(
        "staff/directory/services/<str:service_id>/hours/<int:location>/",
        "get",
        "/staff/directory/services/{w.directory.service.uuid}/hours/{w.directory.central.pk}/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "staff/directory/services/<str:service_id>/hours/<int:location>/",
        "post",
        "/staff/directory/services/{w.directory.service.uuid}/hours/{w.directory.central.pk}/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="back",
        ),
    ),
    row(
        "staff/directory/services/<str:service_id>/review/",
        "post",
        "/staff/directory/services/{w.directory.service.uuid}/review/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="back",
        ),
    ),
    row(
        "staff/directory/computers/",
        "get",
        "/staff/directory/computers/",
        same("200", anonymous="login", patron="login"),
    ),
    row(
        "staff/directory/computers/use/",
        "get",
        "/staff/directory/computers/use/",
        same("403", anonymous="login", patron="login", manager="200"),
    ),
    row(
        "staff/directory/computers/<int:pk>/",
        "get",
        "/staff/directory/computers/{w.directory.central.pk}/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "staff/directory/computers/<int:pk>/",
        "post",
        "/staff/directory/computers/{w.directory.central.pk}/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="400",
            helper="400",
            manager="400",
            privacy_officer="400",
        ),
    ),
    row(
        "staff/directory/computers/<int:pk>/setup/",
        "get",
        "/staff/directory/computers/{w.directory.central.pk}/setup/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "staff/directory/computers/<int:pk>/setup/",
        "post",
        "/staff/directory/computers/{w.directory.central.pk}/setup/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="400",
            helper="400",
            manager="400",
            privacy_officer="400",
        ),
    ),
    row(
        "staff/directory/computers/<int:pk>/kiosk/",
        "post",
        "/staff/directory/computers/{w.directory.central.pk}/kiosk/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "staff/directory/assessments/",
        "get",
        "/staff/directory/assessments/",
        same("200", anonymous="login", patron="login"),
    ),
    row(
        "staff/directory/assessments/start/<int:location>/",
        "post",
        "/staff/directory/assessments/start/{w.directory.central.pk}/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="back",
        ),
    ),
    row(
        "staff/directory/assessments/<int:pk>/",
        "get",
        "/staff/directory/assessments/{w.directory.assessment.pk}/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "staff/directory/assessments/<int:pk>/",
        "post",
        "/staff/directory/assessments/{w.directory.assessment.pk}/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="back",
        ),
    ),
    row(
        "staff/directory/assessments/<int:pk>/submit/",
        "post",
        "/staff/directory/assessments/{w.directory.assessment.pk}/submit/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="back",
        ),
    ),
    row(
        "staff/directory/assessments/<int:pk>/approve/",
        "post",
        "/staff/directory/assessments/{w.directory.assessment.pk}/approve/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="403",
            helper="403",
            manager="back",
            privacy_officer="403",
        ),
    ),
    row(
        "staff/directory/assessments/<int:pk>/send-back/",
        "post",
        "/staff/directory/assessments/{w.directory.assessment.pk}/send-back/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="403",
            helper="403",
            manager="back",
            privacy_officer="403",
        ),
    ),
    row(
        "staff/directory/locations/",
        "get",
        "/staff/directory/locations/",
        same("200", anonymous="login", patron="login"),
    ),
    row(
        "staff/directory/locations/<int:pk>/",
        "get",
        "/staff/directory/locations/{w.directory.central.pk}/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "staff/directory/locations/<int:pk>/",
        "post",
        "/staff/directory/locations/{w.directory.central.pk}/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="back",
        ),
    ),
    row(
        "staff/directory/locations/<int:pk>/exceptions/",
        "post",
        "/staff/directory/locations/{w.directory.central.pk}/exceptions/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="400",
            helper="400",
            manager="400",
            privacy_officer="400",
        ),
    ),
    row(
        "staff/directory/locations/<int:pk>/exceptions/remove/",
        "post",
        "/staff/directory/locations/{w.directory.central.pk}/exceptions/remove/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="back",
        ),
    ),
    row(
        "staff/directory/categories/",
        "get",
        "/staff/directory/categories/",
        same("200", anonymous="login", patron="login"),
    ),
    row(
        "staff/directory/categories/",
        "post",
        "/staff/directory/categories/",
        same("403", anonymous="login", patron="login", manager="400"),
    ),
    row(
        "staff/directory/categories/<int:pk>/remove/",
        "post",
        "/staff/directory/categories/{w.directory.term.pk}/remove/",
        same("403", anonymous="login", patron="login", manager="back"),
    ),
    row(
        "staff/directory/services/<str:service_id>/categories/",
        "get",
        "/staff/directory/services/{w.directory.service.uuid}/categories/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="200",
            helper="200",
            manager="200",
            privacy_officer="200",
        ),
    ),
    row(
        "staff/directory/services/<str:service_id>/categories/",
        "post",
        "/staff/directory/services/{w.directory.service.uuid}/categories/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="back",
        ),
    ),
    row(
        "staff/directory/places/",
        "get",
        "/staff/directory/places/",
        same("200", anonymous="login", patron="login"),
    ),
    row(
        "staff/directory/places/",
        "post",
        "/staff/directory/places/",
        same("403", anonymous="login", patron="login", manager="400"),
    ),
    row(
        "staff/directory/places/<int:pk>/remove/",
        "post",
        "/staff/directory/places/{w.directory.place.pk}/remove/",
        same("403", anonymous="login", patron="login", manager="back"),
    ),
    row(
        "staff/directory/import/",
        "get",
        "/staff/directory/import/",
        same("403", anonymous="login", patron="login", manager="200"),
    ),
    row(
        "staff/directory/import/",
        "post",
        "/staff/directory/import/",
        same("403", anonymous="login", patron="login", manager="400"),
    ),
    row(
        "staff/directory/import/run/",
        "post",
        "/staff/directory/import/run/",
        same("403", anonymous="login", patron="login", manager="back"),
    ),
    # Last, since they end the persona's token and session.
    # --- Cross-training and temporary library cards -----------------------------------------
    row(
        "staff/training/", "get", "/staff/training/", same("200", anonymous="login", patron="login")
    ),
    row(
        "staff/training/new/",
        "get",
        "/staff/training/new/",
        same("403", anonymous="login", patron="login", liaison="200", manager="200"),
    ),
    row(
        "staff/training/new/",
        "post",
        "/staff/training/new/",
        same("403", anonymous="login", patron="login", liaison="200", manager="200"),
    ),
    row(
        "staff/training/<int:pk>/",
        "get",
        "/staff/training/{w.cross.training.pk}/",
        same("200", anonymous="login", patron="login", admin="404", outsider="404"),
    ),
    row(
        "staff/training/<int:pk>/",
        "post",
        "/staff/training/{w.cross.training.pk}/",
        same("403", anonymous="login", patron="login", liaison="200", admin="404", outsider="404"),
    ),
    row(
        "staff/training/<int:pk>/materials/new/",
        "get",
        "/staff/training/{w.cross.training.pk}/materials/new/",
        same("403", anonymous="login", patron="login", liaison="200", admin="404", outsider="404"),
    ),
    row(
        "staff/training/<int:pk>/materials/new/",
        "post",
        "/staff/training/{w.cross.training.pk}/materials/new/",
        same("403", anonymous="login", patron="login", liaison="200", admin="404", outsider="404"),
    ),
    row(
        "staff/training/materials/<int:pk>/",
        "get",
        "/staff/training/materials/{w.cross.material.pk}/",
        same("200", anonymous="login", patron="login", admin="404", outsider="404"),
    ),
    row(
        "staff/training/materials/<int:pk>/remove/",
        "post",
        "/staff/training/materials/{w.cross.material.pk}/remove/",
        same("back", anonymous="login", patron="login", admin="404", outsider="404"),
    ),
    row(
        "staff/training/mine/",
        "get",
        "/staff/training/mine/",
        same("200", anonymous="login", patron="login"),
    ),
    row(
        "staff/training/records/new/",
        "get",
        "/staff/training/records/new/",
        same("403", anonymous="login", patron="login", manager="200"),
    ),
    row(
        "staff/training/matrix/",
        "get",
        "/staff/training/matrix/",
        same("403", anonymous="login", patron="login", manager="200"),
    ),
    row(
        "staff/training/requirements/new/",
        "get",
        "/staff/training/requirements/new/",
        same("403", anonymous="login", patron="login", manager="200"),
    ),
    row(
        "staff/training/requirements/<int:pk>/remove/",
        "post",
        "/staff/training/requirements/{w.cross.requirement.pk}/remove/",
        same(
            "404",
            anonymous="login",
            patron="login",
            front_desk="back",
            helper="back",
            manager="back",
            privacy_officer="back",
        ),
    ),
    row(
        "staff/training/cards/",
        "get",
        "/staff/training/cards/",
        same(
            "403",
            anonymous="login",
            patron="login",
            front_desk="200",
            manager="200",
            outsider="200",
        ),
    ),
    row(
        "staff/training/cards/new/",
        "get",
        "/staff/training/cards/new/",
        same(
            "403",
            anonymous="login",
            patron="login",
            front_desk="200",
            manager="200",
            outsider="200",
        ),
    ),
    row(
        "staff/training/cards/<int:pk>/",
        "get",
        "/staff/training/cards/{w.cross.card.pk}/",
        same("404", anonymous="login", patron="login", front_desk="200", manager="200"),
    ),
    row(
        "staff/training/cards/<int:pk>/",
        "post",
        "/staff/training/cards/{w.cross.card.pk}/",
        same("404", anonymous="login", patron="login", front_desk="200", manager="200"),
    ),
    row(
        "staff/training/cards/loans/<int:pk>/<slug:how>/",
        "post",
        "/staff/training/cards/loans/{w.cross.loan.pk}/returned/",
        same("404", anonymous="login", patron="login", front_desk="back", manager="back"),
    ),
    row(
        "api/v1/partnerships/trainings",
        "get",
        "/api/v1/partnerships/trainings",
        same("200", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/trainings",
        "post",
        "/api/v1/partnerships/trainings",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/trainings/<training_id>",
        "get",
        "/api/v1/partnerships/trainings/{w.cross.training.pk}",
        same("200", anonymous="401", patron="401", admin="404", outsider="404"),
    ),
    row(
        "api/v1/partnerships/trainings/<training_id>/attendance",
        "put",
        "/api/v1/partnerships/trainings/{w.cross.training.pk}/attendance",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/training-records",
        "get",
        "/api/v1/partnerships/training-records",
        same("200", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/training-records",
        "post",
        "/api/v1/partnerships/training-records",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/training-records/xapi",
        "get",
        "/api/v1/partnerships/training-records/xapi",
        same("200", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/training-requirements",
        "get",
        "/api/v1/partnerships/training-requirements",
        same("200", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/training-requirements",
        "post",
        "/api/v1/partnerships/training-requirements",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/training-matrix",
        "get",
        "/api/v1/partnerships/training-matrix",
        same("403", anonymous="401", patron="401", manager="200"),
    ),
    row(
        "api/v1/partnerships/cards",
        "get",
        "/api/v1/partnerships/cards",
        same("200", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/cards",
        "post",
        "/api/v1/partnerships/cards",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/cards/mine",
        "get",
        "/api/v1/partnerships/cards/mine",
        same("200", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/cards/<card_id>/loans",
        "post",
        "/api/v1/partnerships/cards/{w.cross.card.pk}/loans",
        same("422", anonymous="401", patron="401"),
    ),
    row(
        "api/v1/partnerships/card-loans/<loan_id>/<action>",
        "post",
        "/api/v1/partnerships/card-loans/{w.cross.loan.pk}/return",
        same("404", anonymous="401", patron="401", front_desk="409", manager="409"),
    ),
    row(
        "staff/tokens/<int:pk>/revoke/",
        "post",
        lambda w, p: (
            f"/staff/tokens/{w.people[p].api_tokens.get().pk if p in w.people else 1}/revoke/"
        ),
        same("back", anonymous="login", patron="login"),
    ),
    row(
        "staff/account/sign-out-everywhere/",
        "post",
        "/staff/account/sign-out-everywhere/",
        same("login"),
    ),
    row("staff/logout/", "post", "/staff/logout/", same("login")),
]


def answer_of(response) -> str:
    if response.status_code == 302:
        target = response["Location"]
        if target.startswith(("/staff/login/", "/admin/login/")):
            return "login"
        return "back"
    return str(response.status_code)


def client_for(world: World, persona: str) -> tuple[Client, dict]:
    client = Client()
    headers = {}
    user = world.people.get(persona)
    if user is not None:
        client.force_login(user)
        headers["Authorization"] = f"Bearer {world.tokens[persona]}"
    return client, headers


def run(world: World, persona: str, entry: Row) -> str:
    client, headers = client_for(world, persona)
    path = entry.path(world, persona)
    send = getattr(client, entry.method)
    if entry.route.startswith("api/"):
        # The API by token only: the session of the login above plays no part there.
        api = Client()
        send = getattr(api, entry.method)
        if entry.method == "get":
            return answer_of(send(path, headers=headers))
        return answer_of(send(path, "{}", content_type="application/json", headers=headers))
    if entry.method == "get":
        return answer_of(send(path))
    return answer_of(send(path, {}))


def expected_of(entry: Row, persona: str) -> str:
    answers = dict(part.split("=") for part in entry.expected.split())
    return answers[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_answer_of_the_matrix(persona):
    world = build_world()
    got = [(entry.method, entry.route, run(world, persona, entry)) for entry in ROWS]
    wanted = [(entry.method, entry.route, expected_of(entry, persona)) for entry in ROWS]
    assert got == wanted


def test_every_route_has_a_row():
    covered = {entry.route for entry in ROWS}
    missing = [r for r in all_routes() if r not in covered and not r.startswith("admin/")]
    assert missing == []


# What a GET may write by design: the session, the counters of guessed secret links, django-axes'
# records, when a token was last used and when someone last signed in (force_login).
GET_MAY_WRITE = {
    "sessions.session",
    "core.ratelimitbucket",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    # Who looked (issue 18): opening a request's details records who and when; a log of the
    # reading itself, not a change of anything read.
    "privacy.requestaccess",
}
GET_MAY_TOUCH = {
    ("accounts.user", "last_login"),
    ("accounts.apitoken", "last_used_at"),
    ("scheduling.calendarfeed", "last_read_at"),
}


def every_row():
    """Every row of every table (but those above), to compare whole."""
    from django.apps import apps

    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in GET_MAY_WRITE or not model._meta.managed or model._meta.proxy:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if (label, f.attname) not in GET_MAY_TOUCH
        ]
        state[label] = sorted(map(repr, model._base_manager.values_list(*fields)))
    return state


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_get_changes_anything(persona):
    world = build_world()
    before = every_row()

    for entry in ROWS:
        if entry.method == "get":
            run(world, persona, entry)

    after = every_row()
    assert [label for label in before if before[label] != after[label]] == []


@pytest.mark.skipif("not __import__('os').environ.get('MATRIX_RECORD')")
def test_record_the_answers():
    """MATRIX_RECORD=1 prints every row's answers, to check by eye and paste as `expected`."""
    from django.db import transaction

    answers = {}
    for persona in PERSONAS:
        with transaction.atomic():
            world = build_world()
            for index, entry in enumerate(ROWS):
                answers.setdefault(index, []).append(f"{persona}={run(world, persona, entry)}")
            transaction.set_rollback(True)
    for index, entry in enumerate(ROWS):
        print(f"RECORD {entry.method} {entry.route} :: {' '.join(answers[index])}")
