import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = (
        "Restore a backup made by sqlite_backup into the SQLite database of DATABASE_URL, "
        "which must be empty (a new file, or one without tables): a restore never overwrites "
        "data. `make restore FILE=...` runs this; on PostgreSQL it runs pg_restore instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file")

    def handle(self, *args, path, **options):
        if connection.vendor != "sqlite":
            raise CommandError("The database is not SQLite; restore it with pg_restore.")
        backup = Path(path)
        if not backup.is_file():
            raise CommandError(f"{backup} is not a file.")
        if connection.introspection.table_names():
            raise CommandError(
                "The database at DATABASE_URL already has tables; restore into a new one."
            )
        connection.close()
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        destination = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            with destination:
                source.backup(destination)
            (found,) = destination.execute("PRAGMA integrity_check").fetchone()
        finally:
            destination.close()
            source.close()
        if found != "ok":
            raise CommandError(f"The restored database fails its integrity check: {found}")
        self.stdout.write(f"restored {backup}")
