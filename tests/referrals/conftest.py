"""The library system and the workforce center of tests/conftest.py, bound by an executed
agreement; the center's WIOA career services in the directory; and a request from a patron
whose details could leak: a name, a phone number, an email address and a note that must never
reach the center without her consent."""

import pytest

from jobhelp.accounts.enums import Role
from jobhelp.referrals.domain import ReferralDetails, send_referral
from tests.factories.accounts import staff_member
from tests.factories.intake import HelpRequestFactory
from tests.factories.referrals import agreement_between, wioa_service

NAME = "Rosa Leakwell"
PHONE = "+17635550188"
PHONE_DIGITS = "7635550188"
EMAIL = "rosa.leakwell@example.org"
NOTE = "Laid off from the Anoka plant in May; her daughter Lupita translates."
# Every piece of the patron's record that must not reach the receiving partner unasked.
SECRETS = (NAME, "Leakwell", PHONE, PHONE_DIGITS, "555-0188", EMAIL, "Lupita", "Anoka plant")


@pytest.fixture(name="agreement")
def agreement_fixture(library, center):
    return agreement_between(center, library)


@pytest.fixture(name="wioa")
def wioa_fixture(center):
    return wioa_service(center)


@pytest.fixture(name="center_manager")
def center_manager_fixture(center):
    return staff_member(center, Role.MANAGER, first_name="Carmen", email="carmen@center.example")


@pytest.fixture(name="rosa")
def rosa_fixture(library):
    """Her request at the library system, in Spanish, asking for career coaching."""
    return HelpRequestFactory(
        organization=library,
        name=NAME,
        phone=PHONE,
        email=EMAIL,
        preferred_contact="email",
        language="es",
        note=NOTE,
        needs=["coaching", "resume"],
    )


def refer(help_request, service, by, **details):
    values = {"reason": "program", "need": "coaching", "urgency": "soon", **details}
    return send_referral(
        service=service, by=by, help_request=help_request, details=ReferralDetails(**values)
    )


@pytest.fixture(name="referral")
def referral_fixture(agreement, wioa, rosa, helper):
    """Rosa referred to WIOA career services by the library's helper, without consent."""
    return refer(rosa, wioa, helper)


def contains_any(text: str, secrets=SECRETS) -> list[str]:
    return [s for s in secrets if s in text]


class WebhookServer:
    """A partner's system on 127.0.0.1: records every POST it receives and answers with the
    statuses queued in `answers` (200 once they run out)."""

    def __init__(self):
        import http.server
        import threading

        self.received: list[dict] = []
        self.answers: list[int] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                server.received.append(
                    {"headers": dict(self.headers), "body": self.rfile.read(length)}
                )
                status = server.answers.pop(0) if server.answers else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/jobhelp/referrals"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(name="webhook_server")
def webhook_server_fixture(settings):
    settings.REFERRAL_WEBHOOK_ALLOW_LOCAL = True
    server = WebhookServer()
    yield server
    server.close()


@pytest.fixture(name="center_webhook")
def center_webhook_fixture(center, center_manager, webhook_server):
    """The center's system takes webhooks; returns its signing secret."""
    from jobhelp.referrals.webhooks import save_receiving_settings

    return save_receiving_settings(
        center, by=center_manager, expire_after_days=10, webhook_url=webhook_server.url
    )
