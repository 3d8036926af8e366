"""Rate limits: fixed-window counters per network address stored in the database (works on
SQLite, no cache server), and sliding-window counters per browser kept in its session."""

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


def _session_key(scope: str) -> str:
    return f"jobhelp.sends.{scope}"


def _recent(session, scope: str, *, window_seconds: int, now) -> list[int]:
    since = int(now.timestamp()) - window_seconds
    return [t for t in session.get(_session_key(scope), []) if t > since]


def browser_used_up(session, scope: str, *, limit: int, window_seconds: int, now=None) -> bool:
    """Whether this browser (its session) has sent `limit` times in the last `window_seconds`;
    counts nothing. A browser that drops its cookie starts afresh, which is why the limit per
    address stays as well: this one spares the other people behind a shared address."""
    now = now or timezone.now()
    return len(_recent(session, scope, window_seconds=window_seconds, now=now)) >= limit


def browser_hit(session, scope: str, *, window_seconds: int, now=None) -> None:
    """Count one send from this browser (kept in its session, as times of sending)."""
    now = now or timezone.now()
    recent = _recent(session, scope, window_seconds=window_seconds, now=now)
    session[_session_key(scope)] = [*recent, int(now.timestamp())]


def erase_old_counters(*, now=None) -> int:
    """Delete the counters of windows that started longer ago than RETENTION["rate_limits"].
    hit() clears a scope's old windows when a new one opens; this clears the last ones of a
    scope nobody uses any more. Returns how many counters were deleted."""
    now = now or timezone.now()
    deleted, _by_model = RateLimitBucket.objects.filter(
        window_start__lt=now - settings.RETENTION["rate_limits"]
    ).delete()
    return deleted
