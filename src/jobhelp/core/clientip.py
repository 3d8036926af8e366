import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return ""


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting exactly TRUSTED_PROXY_COUNT proxies in front of us;
    an empty string when there is no usable address."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [p for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p]
        if len(forwarded) >= count and (address := _valid(forwarded[-count])):
            return address
    return _valid(request.META.get("REMOTE_ADDR", ""))


def client_ip_for_axes(request: HttpRequest) -> str | None:
    return client_ip(request) or None
