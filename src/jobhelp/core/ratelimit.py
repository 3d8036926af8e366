"""Fixed-window rate limits stored in the database (works on SQLite, no cache server)."""

import hashlib
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jobhelp.core.models import RateLimitBucket


def _key(raw: str) -> str:
    # Only a keyed hash of the address is stored: the counter needs identity, not the address.
    return hashlib.blake2b(
        raw.encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=16
    ).hexdigest()


def _window_start(now: datetime, window_seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % window_seconds, tz=UTC)


def hit(scope: str, raw_key: str, *, limit: int, window_seconds: int, now=None) -> bool:
    """Count one hit; return True while the caller is within `limit` hits per window."""
    now = now or timezone.now()
    window_start = _window_start(now, window_seconds)
    key = _key(raw_key)
    with transaction.atomic():
        updated = RateLimitBucket.objects.filter(
            scope=scope, key=key, window_start=window_start
        ).update(hits=F("hits") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateLimitBucket.objects.create(
                        scope=scope, key=key, window_start=window_start, hits=1
                    )
            except IntegrityError:
                RateLimitBucket.objects.filter(
                    scope=scope, key=key, window_start=window_start
                ).update(hits=F("hits") + 1)
            # Old windows are useless; clearing them here keeps the table small without a cron.
            RateLimitBucket.objects.filter(
                window_start__lt=now - timedelta(seconds=2 * window_seconds), scope=scope
            ).delete()
        hits = RateLimitBucket.objects.values_list("hits", flat=True).get(
            scope=scope, key=key, window_start=window_start
        )
    return hits <= limit


def used_up(scope: str, raw_key: str, *, limit: int, window_seconds: int, now=None) -> bool:
    """Whether the caller has had `limit` hits in this window already; counts nothing. For
    limits where only failures count (core.links: a bad guess counts, a good link does not)."""
    now = now or timezone.now()
    hits = (
        RateLimitBucket.objects.filter(
            scope=scope, key=_key(raw_key), window_start=_window_start(now, window_seconds)
        )
        .values_list("hits", flat=True)
        .first()
    )
    return (hits or 0) >= limit


def erase_old_counters(*, now=None) -> int:
    """Delete the counters of windows that started longer ago than RETENTION["rate_limits"].
    hit() clears a scope's old windows when a new one opens; this clears the last ones of a
    scope nobody uses any more. Returns how many counters were deleted."""
    now = now or timezone.now()
    deleted, _by_model = RateLimitBucket.objects.filter(
        window_start__lt=now - settings.RETENTION["rate_limits"]
    ).delete()
    return deleted
