"""Backup and restore, on PostgreSQL (pg_dump, pg_restore) and on SQLite (the online backup
API): the demo county, a backup with `scripts/backup.sh` while gunicorn serves traffic, a
restore with `scripts/restore.sh` into a new database, then every table's rows counted on both
sides and a smoke test against the restored copy (sign in, the queue, a request page, the API,
and a new request for help, which also proves the id sequences came back).

Claims: every table has as many rows in the copy; the smoke test passes; a restore refuses a
database that already has tables.
"""

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from drills.harness import (
    PYTHON,
    ROOT,
    Mix,
    Server,
    Visitor,
    World,
    claim,
    demo_world,
    finish,
    run_load,
    seed_demo,
    server_env,
    setup_django,
)


def counts(database_url: str) -> dict[str, int]:
    """Rows in every table of the models, read by another process from that database."""
    result = subprocess.run(  # noqa: S603 - our own arguments, no shell
        [PYTHON, "-m", "drills.backup", "--counts"],
        env=server_env(DATABASE_URL=database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def _print_counts() -> None:
    setup_django()
    from django.apps import apps

    tables = {
        model._meta.db_table: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    print(json.dumps(tables))


def smoke(database_url: str, world) -> list[str]:
    """Each kind of request once against the copy; returns what failed."""
    failed = []
    with Server(workers=1, env=server_env(DATABASE_URL=database_url)) as server:
        visitor, staff = Visitor(server.port), Visitor(server.port)
        staff.log_in(world.username)
        mix = Mix(world)
        for kind in mix.weights:
            status, _ = mix.send(kind, visitor, staff, random.Random(3))
            if not 200 <= status < 400:
                failed.append(f"{kind} answered {status}")
    return failed


def drill(label: str, source_url: str, restored_url: str, folder: Path) -> None:
    print(f"== backup and restore: {label}")
    seed_demo(server_env(DATABASE_URL=source_url))
    env = server_env(DATABASE_URL=source_url, JOBHELP_BACKUP_DIR=str(folder))
    world = _world(source_url)
    # The backup is taken while traffic goes on, as a nightly one would be.
    with Server(workers=1, env=env) as server:
        load = threading.Thread(
            target=run_load, args=(server.port, Mix(world)), kwargs={"rate": 5, "seconds": 6}
        )
        load.start()
        time.sleep(2)
        started = time.perf_counter()
        backup = subprocess.run(
            ["scripts/backup.sh"], env=env, cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        took = time.perf_counter() - started
        load.join()
    size = Path(backup).stat().st_size
    print(f"  backup {Path(backup).name}: {size / 1e6:.1f} MB in {took:.1f} s")
    before = counts(source_url)
    restore_env = server_env(DATABASE_URL=restored_url)
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        ["scripts/restore.sh", backup],
        env=restore_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    print(f"  restored in {time.perf_counter() - started:.1f} s")
    after = counts(restored_url)
    rows_before, rows_after = sum(before.values()), sum(after.values())
    print(f"  {len(before)} tables, {rows_before} rows in the source at the end of the load")
    # The load wrote on after the backup; the copy holds what was there when it was taken, so
    # compare with the source as of the backup: no table may have more rows in the copy, and
    # only the tables the traffic writes may have fewer.
    moving = {
        "intake_helprequest",
        "intake_requestneed",
        "core_auditentry",
        "notifications_outboundmessage",
        "django_tasks_database_dbtaskresult",
        "django_session",
        "core_ratelimitbucket",
        "axes_accessattempt",
        "axes_accesslog",
        "axes_accessfailurelog",
        "core_version",
        "privacy_requestaccess",
    }
    differing = {t: (before[t], after.get(t)) for t in before if before[t] != after.get(t)}
    unexplained = {t: v for t, v in differing.items() if t not in moving or v[1] > v[0]}
    print(f"  {rows_after} rows in the copy; tables the traffic went on writing: {differing}")
    claim(f"{label}: every table in the copy", set(before) == set(after))
    claim(
        f"{label}: every table has its rows, bar what was written after the backup", not unexplained
    )
    if unexplained:
        print(f"        {unexplained}")
    failures = smoke(restored_url, world)
    claim(f"{label}: the copy serves the smoke test ({failures or 'all answered'})", not failures)
    refused = subprocess.run(  # noqa: S603
        ["scripts/restore.sh", backup], env=restore_env, cwd=ROOT, capture_output=True, text=True
    )
    claim(f"{label}: a second restore onto the copy is refused", refused.returncode != 0)


def _world(database_url: str):
    """The demo's sign-in, request, key and class, as seen in that database."""
    result = subprocess.run(  # noqa: S603
        [PYTHON, "-m", "drills.backup", "--world"],
        env=server_env(DATABASE_URL=database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return World(**json.loads(result.stdout))


def main() -> None:
    if sys.argv[1:] == ["--counts"]:
        _print_counts()
        return
    if sys.argv[1:] == ["--world"]:
        setup_django()
        from dataclasses import asdict

        print(json.dumps(asdict(demo_world())))
        return
    postgres = os.environ.get("DATABASE_URL", "")
    if not postgres.startswith(("postgres://", "postgresql://")):
        sys.exit("The backup drill needs PostgreSQL: run it under scripts/with-postgres.sh.")
    folder = Path(tempfile.mkdtemp(prefix="jobhelp-backup-"))
    try:
        restored = postgres.rsplit("/", 1)[0] + "/jobhelp_restored"
        subprocess.run(  # noqa: S603
            ["psql", postgres, "-qc", "CREATE DATABASE jobhelp_restored"], check=True
        )
        drill("PostgreSQL", postgres, restored, folder)
        drill(
            "SQLite",
            f"sqlite:///{folder / 'jobhelp.sqlite3'}",
            f"sqlite:///{folder / 'restored.sqlite3'}",
            folder,
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    finish("backup and restore")


if __name__ == "__main__":
    main()
