"""Reference codes people read aloud over the phone and type back in."""

import secrets

# No 0/O, 1/I/L, so nobody has to ask "zero or oh?".
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def normalize_reference(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def display_reference(reference: str) -> str:
    """ABC-DEF: two groups of three are easier to read aloud."""
    return f"{reference[:3]}-{reference[3:]}"
