"""How a failed delivery is sorted: the outbox retries the first kind and gives up on the second.

The SMTP errors are sorted in notifications.domain; text-message backends raise these directly.
The message of either is stored as the message's `last_error` and shown to staff, so it holds a
code or an error class only, never an address, a number or a provider's full reply.
"""


class TransientDeliveryError(Exception):
    """Worth trying again later: the server was busy, down or unreachable."""


class PermanentDeliveryError(Exception):
    """Trying again will not help: the address or number was refused, or we are misconfigured."""
