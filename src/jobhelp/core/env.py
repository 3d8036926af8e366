"""Strict parsers for environment variables, in the manner of healthchecks' settings.

A typo in production configuration must stop the process at start-up, not surface later as a
silently ignored value.
"""

import os
import re

from django.core.exceptions import ImproperlyConfigured

# A phone number in international form (E.164), as texts are sent to and from.
E164 = re.compile(r"\+[1-9][0-9]{6,14}")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no, got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {sorted(choices)}, got {value!r}")
    return value


def env_e164(name: str, default: str) -> str:
    value = os.environ.get(name, default)
    if value and not E164.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name} must be a phone number in E.164 form (+17635550100), got {value!r}"
        )
    return value
