from datetime import datetime
from zoneinfo import ZoneInfo

CHICAGO = ZoneInfo("America/Chicago")


def local(*args, fold: int = 0) -> datetime:
    """An aware datetime on the wall clock of Chicago, where the test location is."""
    return datetime(*args, tzinfo=CHICAGO, fold=fold)
