"""`make bench`: builds a fresh database, seeds it and prints ratios. Benchmarks never gate CI."""

import logging
import os
import sys
import time
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
    # django.test.Client calls itself "testserver". setup_test_environment() would allow that
    # host too, but it also instruments template rendering, which skews the timings.
    hosts = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
    os.environ["ALLOWED_HOSTS"] = ",".join(dict.fromkeys([*hosts, "testserver"]))

    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    # django-axes logs every force_login at INFO; the timings are what we want to read.
    logging.getLogger("axes").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")

    from bench import queue, request_list
    from bench.seed import seed

    total = int(os.environ.get("BENCH_REQUESTS", "100000"))
    started = time.perf_counter()
    data = seed(total)
    print(f"seeded {total:,} requests in {time.perf_counter() - started:.1f} s")

    request_list.run(data)
    queue.run(data)


if __name__ == "__main__":
    main()
