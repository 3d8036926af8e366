"""`make bench`: builds a fresh database, seeds it and prints ratios. Benchmarks never gate CI."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobhelp.settings")
    if "DATABASE_URL" not in os.environ:
        target = ROOT / "var" / "bench.sqlite3"
        target.parent.mkdir(exist_ok=True)
        for leftover in target.parent.glob("bench.sqlite3*"):
            leftover.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{target}"
    os.environ.setdefault("STATIC_MANIFEST", "false")
    os.environ.setdefault("TASKS_BACKEND", "immediate")

    import django
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")

    from bench import request_list

    request_list.run()


if __name__ == "__main__":
    main()
