"""Text messages: the backends the outbox sends them through. See docs/conventions/messaging.md.

`settings.SMS_BACKEND` names the backend; empty means texting is off, and then nothing queues
a text (patrons without email hear from staff by phone, as before). Each backend has one
method, `send(TextMessage)`, which returns once the provider has accepted the message and
raises TransientDeliveryError or PermanentDeliveryError otherwise, so the outbox's retries,
back-off and "could not be delivered" work as they do for email.
"""

import base64
import http.client
import json
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from jobhelp.notifications.errors import PermanentDeliveryError, TransientDeliveryError


@dataclass(frozen=True, kw_only=True)
class TextMessage:
    to: str  # E.164, as intake stores phone numbers
    body: str


def is_configured() -> bool:
    """Whether texting is on: only then may a text be queued."""
    return bool(settings.SMS_BACKEND)


def get_backend():
    if not is_configured():
        raise PermanentDeliveryError("texting is off")
    return import_string(settings.SMS_BACKEND)()


class ConsoleBackend:
    """For the demo and development: prints each text, as Django's console email backend does."""

    _lock = threading.Lock()

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, message: TextMessage) -> None:
        with self._lock:
            self.stream.write(
                f"Text message\nFrom: {settings.SMS_FROM_NUMBER or '(not set)'}\n"
                f"To: {message.to}\n\n{message.body}\n{'-' * 79}\n"
            )
            self.stream.flush()


# Texts "sent" with the LocmemBackend, oldest first; tests read and empty it like mail.outbox.
outbox: list[TextMessage] = []


class LocmemBackend:
    """For tests: keeps each text in `outbox`."""

    def send(self, message: TextMessage) -> None:
        outbox.append(message)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # The API never redirects; following one would send the credentials somewhere else.
    def redirect_request(self, *args, **kwargs):
        return None


class TwilioBackend:
    """Sends through Twilio's Messages API with the standard library only.

    One POST of To, From and Body to /2010-04-01/Accounts/<sid>/Messages.json with HTTP Basic
    authentication (the account SID and auth token). Twilio answers 201 once it has accepted
    the text; whether the phone then received it is not followed up.

    HTTP 429 and 5xx, time-outs and network errors are transient; any other refusal (a number
    that cannot receive texts, a wrong token) is permanent. The stored error is the HTTP status
    and Twilio's numeric error code, never Twilio's message, which quotes the number.
    """

    def __init__(self):
        self.account_sid = settings.SMS_TWILIO_ACCOUNT_SID
        self.auth_token = settings.SMS_TWILIO_AUTH_TOKEN
        self.from_number = settings.SMS_FROM_NUMBER
        self.url = (
            settings.SMS_TWILIO_API_BASE.rstrip("/")
            + f"/2010-04-01/Accounts/{urllib.parse.quote(self.account_sid, safe='')}"
            + "/Messages.json"
        )
        self.timeout = settings.SMS_TIMEOUT

    def send(self, message: TextMessage) -> None:
        credentials = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310 - a fixed https URL from settings
            self.url,
            data=urllib.parse.urlencode(
                {"To": message.to, "From": self.from_number, "Body": message.body}
            ).encode(),
            method="POST",
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
                "User-Agent": "jobhelp",
            },
        )
        opener = urllib.request.build_opener(_NoRedirects)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as error:
            status, code = error.code, _twilio_code(error)
            error.close()
            text = f"twilio {status}" + (f" {code}" if code else "")
            if status == 429 or status >= 500:
                raise TransientDeliveryError(text) from None
            raise PermanentDeliveryError(text) from None
        except urllib.error.URLError as error:
            reason = error.reason if isinstance(error.reason, BaseException) else error
            raise TransientDeliveryError(type(reason).__name__) from None
        except (OSError, http.client.HTTPException) as error:
            # A time-out while reading, a reset connection, a garbled reply.
            raise TransientDeliveryError(type(error).__name__) from None


def _twilio_code(error: urllib.error.HTTPError) -> int | None:
    """Twilio's numeric error code (21211: not a valid number), when the reply has one."""
    try:
        code = json.loads(error.read(10_000) or b"{}").get("code")
    except (ValueError, AttributeError, OSError):
        return None
    return code if isinstance(code, int) else None
