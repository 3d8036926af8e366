"""`make bench`: builds a fresh database, seeds it and prints ratios. Benchmarks never gate CI.

`python -m bench queue` runs only the named benchmarks (`request_list`, `queue`, `privacy`); the
data is seeded all the same.
"""

import importlib
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ("request_list", "queue", "privacy")


def main() -> None:
    names = sys.argv[1:] or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        sys.exit(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    sys.path.insert(0, str(ROOT / "src"))
    # bench.settings: jobhelp's own, with the baselines' URLs (bench/urls.py).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    if "DATABASE_URL" not in os.environ:
        target = ROOT / "var" / "bench.sqlite3"
        target.parent.mkdir(exist_ok=True)
        for leftover in target.parent.glob("bench.sqlite3*"):
            leftover.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{target}"
    os.environ.setdefault("STATIC_MANIFEST", "false")
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    # django.test.Client calls itself "testserver". setup_test_environment() would allow that
    # host too, but it also instruments template rendering, which skews the timings.
    hosts = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
    os.environ["ALLOWED_HOSTS"] = ",".join(dict.fromkeys([*hosts, "testserver"]))

    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    from django.conf import settings

    if settings.DEBUG:
        # With DEBUG on, Django keeps a record of every query: not what production serves.
        sys.exit("DEBUG is on; benchmarks measure production settings. Unset DEBUG.")
    # django-axes logs every force_login at INFO; the timings are what we want to read.
    logging.getLogger("axes").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")

    from bench.seed import seed

    total = int(os.environ.get("BENCH_REQUESTS", "100000"))
    started = time.perf_counter()
    data = seed(total)
    print(f"seeded {total:,} requests in {time.perf_counter() - started:.1f} s")

    for name in names:
        importlib.import_module(f"bench.{name}").run(data)


if __name__ == "__main__":
    main()
