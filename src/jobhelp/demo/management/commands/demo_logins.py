"""Print every demo login with its role, for the banner `make demo` shows (scripts/serve-demo.sh).
Read from the demo's own list of staff (demo.data.STAFF), so the banner never misses one."""

from django.core.management.base import BaseCommand
from django.utils import translation

from jobhelp.accounts.enums import Role
from jobhelp.core.enums import Language
from jobhelp.demo import data

ORGANIZATIONS = {
    data.LIBRARY_SYSTEM["slug"]: data.LIBRARY_SYSTEM["name"],
    data.WORKFORCE_CENTER["slug"]: "WorkForce Center",
    **{slug: name for slug, name, _street, _city in data.BRANCHES},
}


def login_lines() -> list[str]:
    """One line per demo login: the login, the role, where, and other languages spoken."""
    with translation.override("en"):
        width = max(len(row[0]) for row in data.STAFF)
        lines = []
        for username, first, last, org_slug, role, home, _needs, languages in data.STAFF:
            where = ORGANIZATIONS[org_slug]
            if home and home != org_slug:
                where += f", {ORGANIZATIONS[home]}"
            others = [str(Language(code).label) for code in languages if code != "en"]
            speaks = f" (speaks {', '.join(others)})" if others else ""
            lines.append(
                f"{username:<{width}}  {Role(role).label.lower()}, {where}: {first} {last}{speaks}"
            )
        lines.append(f"{'admin':<{width}}  administrator (also /admin/), no organization")
    return lines


class Command(BaseCommand):
    help = "List every demo login with its role."

    def handle(self, *args, **options):
        for line in login_lines():
            self.stdout.write(f"     {line}")
