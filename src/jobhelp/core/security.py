"""Security events: one JSON line each on the `jobhelp.security` logger (docs/security.md).

An event names what happened (`sign_in.failed`, `two_factor.failed`, `not_found.scoped`,
`api.bad_token`, `rate_limit.hit`, ...) and carries only what helps to see an attack: the
view's name (never the path, which may hold a secret link's key), the user's id, and a keyed
hash of the network address. Never a username, a name, an address, a token or a code.
"""

import hashlib
import json
import logging
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest

from jobhelp.core.clientip import client_ip

logger = logging.getLogger("jobhelp.security")

# The fields an event may carry besides its name; anything else is dropped, so a caller cannot
# let personal data into the log by accident.
ALLOWED_FIELDS = frozenset({"view", "method", "status", "user_id", "address", "scope", "reason"})


def address_key(address: str) -> str:
    """A keyed hash of a network address: the same address gives the same key (to see one
    source of many failures) without the address itself being written down."""
    return hashlib.blake2b(
        address.encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=8, person=b"seclog"
    ).hexdigest()


def _view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else ""


def event(name: str, *, request: HttpRequest | None = None, **fields) -> None:
    """Write one security event. `fields` are limited to ALLOWED_FIELDS."""
    record: dict = {"event": name}
    if request is not None:
        record["view"] = _view_name(request)
        record["method"] = request.method
        record["address"] = address_key(client_ip(request))
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            record["user_id"] = user.pk
    record.update({key: value for key, value in fields.items() if key in ALLOWED_FIELDS})
    logger.warning(name, extra={"security": record})


class JsonFormatter(logging.Formatter):
    """One JSON object per line: the time (UTC), the level, the logger, and the event's fields
    (or the message, for a record that is not a security event)."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
        }
        fields = getattr(record, "security", None)
        if fields is not None:
            data.update(fields)
        else:
            data["message"] = record.getMessage()
        return json.dumps(data, sort_keys=True, default=str)
