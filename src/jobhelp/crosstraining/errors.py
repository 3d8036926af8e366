class CrosstrainingError(Exception):
    """A change refused: the message says why, in the reader's language."""


class CardTaken(CrosstrainingError):
    """The card is already lent to someone."""
