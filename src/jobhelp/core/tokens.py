"""Secrets handed out once (API keys, patron links, survey links, calendar feeds) and the
idempotency keys forms carry. Only hashes are stored: a token carries 256 random bits, so a
fast hash is enough to make a stolen table useless."""

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def stored_key(namespace: str, user_id, key: str) -> str:
    """An idempotency key as stored: hashed with where it came from and who sent it, so a key
    copied from someone else's page or client never finds their booking or registration."""
    return hash_token(f"{namespace}:{user_id}:{key}")
