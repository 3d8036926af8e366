"""Strict parsers for environment variables, in the manner of healthchecks' settings.

A typo in production configuration must stop the process at start-up, not surface later as a
silently ignored value.
"""

import os
import re
from urllib.parse import parse_qs, urlsplit

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


# What FILE_STORAGE_URL's query may set, and the S3Storage option each one is.
_S3_OPTIONS = {
    "endpoint": "endpoint_url",
    "region": "region_name",
    "addressing": "addressing_style",
}


def env_file_storage(name: str) -> dict:
    """The `default` storage (uploaded files) from `name`: unset or empty, the local disk
    (MEDIA_ROOT); `s3://BUCKET[/PREFIX][?endpoint=URL&region=NAME&addressing=path|virtual]`,
    S3-compatible object storage through django-storages, private: objects are written with
    no ACL (private to the bucket's owner, as S3 makes them), never overwritten (a clash gets
    a new name, as on disk), and never given a public address (downloads go through the
    views that check who may see them). The keys come from the usual AWS_ACCESS_KEY_ID /
    AWS_SECRET_ACCESS_KEY variables (or the machine's role), never from the URL."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    url = urlsplit(raw)
    bad = not url.hostname or "@" in url.netloc or ":" in url.netloc or url.fragment
    if url.scheme != "s3" or bad:
        # Never echo the value: a URL with keys in it would put them in logs and error pages.
        raise ImproperlyConfigured(
            f"{name} must be s3://BUCKET[/PREFIX][?endpoint=URL&region=NAME], without keys "
            f"(they go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
        )
    options = {
        "bucket_name": url.netloc,
        "location": url.path.strip("/"),
        # No ACL sent: S3 makes each object private to the bucket's owner by default, and a
        # bucket with ACLs disabled (AWS's default for new buckets, "bucket owner enforced")
        # refuses any PutObject that names an ACL other than bucket-owner-full-control, so
        # "private" here would make every upload fail there (AccessControlListNotSupported).
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        "custom_domain": None,
    }
    for key, values in parse_qs(url.query, keep_blank_values=True, strict_parsing=False).items():
        if key not in _S3_OPTIONS or len(values) != 1 or not values[0]:
            raise ImproperlyConfigured(
                f"{name}: unknown or empty option {key!r} (known: {sorted(_S3_OPTIONS)})"
            )
        options[_S3_OPTIONS[key]] = values[0]
    endpoint = urlsplit(options.get("endpoint_url", "https://s3.amazonaws.com"))
    if endpoint.scheme not in {"http", "https"} or not endpoint.hostname or endpoint.username:
        raise ImproperlyConfigured(
            f"{name}: endpoint must be an http(s) address without keys "
            f"(they go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
        )
    if options.get("addressing_style", "path") not in {"path", "virtual"}:
        raise ImproperlyConfigured(f"{name}: addressing must be path or virtual")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
