"""`python -m bench.directory [N]`: an HSDS import of N services (10,000 by default) into a fresh
database, with its progress and the peak of Python memory (tracemalloc) for the whole import,
against the size of the file. Bounded memory means the peak stays far below the file's size
and grows little with N. The `/computers/` page benchmark joins `make bench` with the page.

`seed_computers(locations)` makes the data that benchmark (bench/computers.py) needs:
locations open around the clock, with public computers and a count each.
"""

import json
import os
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def services(organization_id: str, n: int):
    for i in range(n):
        service_id = str(uuid.uuid4())
        yield {
            "id": service_id,
            "organization_id": organization_id,
            "name": f"Service {i}",
            "status": "active",
            "description": "Help with resumés, applications and interviews. " * 8,
            "languages": [{"id": str(uuid.uuid4()), "service_id": service_id, "code": "es"}],
            "required_documents": [
                {"id": str(uuid.uuid4()), "service_id": service_id, "document": "A photo ID"}
            ],
        }


def seed_computers(locations: int = 10):
    from jobhelp.directory.computers import record_count, set_public_computers
    from jobhelp.organizations.models import Location, OpeningHours, Organization

    system = Organization.objects.create(
        name="Bench Library", slug="bench-library", kind="library_system"
    )
    for n in range(locations):
        location = Location.objects.create(
            organization=system,
            name=f"Branch {n}",
            street="1 Main St",
            city="Riverbend",
            state="MN",
            postal_code="55401",
            time_zone="America/Chicago",
            latitude=45 + n / 100,
            longitude=-93,
        )
        OpeningHours.objects.bulk_create(
            OpeningHours(location=location, weekday=d, opens="00:00", closes="23:59")
            for d in range(7)
        )
        set_public_computers(location, by=None, count=16)
        record_count(location, by=None, in_use=n % 17, waiting=n % 3)
    return system


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobhelp.settings")
    if "DATABASE_URL" not in os.environ:
        target = ROOT / "var" / "bench-directory.sqlite3"
        target.parent.mkdir(exist_ok=True)
        target.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{target}"
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from jobhelp.directory.hsds.importer import Source, import_hsds
    from jobhelp.organizations.models import Organization

    organization = Organization.objects.create(
        name="Bench Center", slug="bench-center", kind="workforce_center"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".ndjson", delete=False) as f:
        for document in services(str(organization.uuid), n):
            f.write(json.dumps(document) + "\n")
    size = Path(f.name).stat().st_size

    def progress(stage: str, done: int) -> None:
        if done % 1000 == 0 or stage == "done":
            print(f"\r{stage:>9} {done:>7,} of {n:,}", end="", flush=True)

    tracemalloc.start()
    started = time.perf_counter()
    report = import_hsds(Source(path=Path(f.name)), progress=progress)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    os.unlink(f.name)
    print()
    print(
        f"imported {len(report.created.get('service', [])):,} services "
        f"({len(report.errors)} errors) in {seconds:.1f} s"
    )
    print(
        f"file {size / 1e6:.1f} MB, peak Python memory {peak / 1e6:.1f} MB "
        f"({peak / size:.2f}x the file)"
    )


if __name__ == "__main__":
    main()
