import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = (
        "Copy the SQLite database, while it is in use, into a new file with SQLite's online "
        "backup API (a consistent copy, unlike copying the file). `make backup` runs this; "
        "on PostgreSQL it runs pg_dump instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the new file (must not exist)")

    def handle(self, *args, path, **options):
        if connection.vendor != "sqlite":
            raise CommandError("The database is not SQLite; back it up with pg_dump.")
        target = Path(path)
        if target.exists():
            raise CommandError(f"{target} exists; a backup never overwrites a file.")
        source = sqlite3.connect(connection.settings_dict["NAME"])
        destination = sqlite3.connect(target)
        try:
            with destination:
                source.backup(destination)
        finally:
            destination.close()
            source.close()
        self.stdout.write(str(target))
