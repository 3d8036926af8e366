"""Every migration applies on an empty and on a populated database, forwards and back.

On an empty PostgreSQL database: every migration forwards, every jobhelp app back to zero
(Django unapplies what depends on it first), and forwards again. Then on the demo county: each
jobhelp app with more than one migration back to its first migration, with the data in place,
and forwards again (the apps that depend on others first, since taking an app back also takes
back what depends on it); the tables its first migration made keep every row.

Claims: each step completes; the rows stay; `makemigrations --check` finds nothing left over.
"""

import subprocess
import time

from drills.harness import PYTHON, ROOT, claim, finish, seed_demo, server_env, setup_django


def migrate(*args: str) -> tuple[bool, str, float]:
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our own arguments, no shell
        [PYTHON, str(ROOT / "manage.py"), "migrate", *args, "--no-input", "-v", "0"],
        env=server_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return (
        result.returncode == 0,
        (result.stdout + result.stderr)[-1500:],
        (time.perf_counter() - started),
    )


def step(text: str, *args: str) -> bool:
    ok, output, seconds = migrate(*args)
    claim(f"{text} ({seconds:.1f} s)", ok)
    if not ok:
        print(output)
    return ok


def our_apps() -> dict[str, list[str]]:
    """Each jobhelp app with migrations, and their names in order."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    found = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("jobhelp."):
            continue
        names = sorted(name for app, name in loader.disk_migrations if app == config.label)
        if names:
            found[config.label] = names
    return found


def first_tables(label: str, first: str) -> list[str]:
    """The tables the app's first migration creates."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = MigrationLoader(connection).disk_migrations[(label, first)]
    names = {op.name.lower() for op in migration.operations if type(op).__name__ == "CreateModel"}
    return [
        model._meta.db_table
        for model in apps.get_app_config(label).get_models()
        if model._meta.model_name in names
    ]


def row_counts(tables: list[str]) -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        found = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - our table names
            found[table] = cursor.fetchone()[0]
    connection.close()
    return found


def main() -> None:
    setup_django()
    apps = our_apps()
    print(f"== migrations: {sum(map(len, apps.values()))} in {len(apps)} jobhelp apps")
    print("-- on an empty database")
    step("every migration applies forwards on an empty database")
    for label in reversed(list(apps)):
        step(f"{label} back to zero", label, "zero")
    step("every migration applies forwards again")

    print("-- on the demo county")
    seed_demo()
    # The apps that depend on others first: taking an app back also takes back what depends on
    # it (dropping those tables), so each app is tried while its own data is still there.
    for label, names in reversed(apps.items()):
        if len(names) < 2:
            continue
        tables = first_tables(label, names[0])
        before = row_counts(tables)
        if not step(f"{label} back to {names[0]} with its data", label, names[0]):
            continue
        step(f"forwards again from {label}.{names[0]}")
        after = row_counts(tables)
        claim(
            f"{label}: the {len(tables)} tables of its first migration keep their "
            f"{sum(before.values())} rows",
            before == after,
        )
    result = subprocess.run(  # noqa: S603
        [PYTHON, str(ROOT / "manage.py"), "makemigrations", "--check", "--dry-run", "-v", "0"],
        env=server_env(),
        cwd=ROOT,
        check=False,
    )
    claim("the models and the migrations agree (makemigrations --check)", result.returncode == 0)
    finish("migrations")


if __name__ == "__main__":
    main()
