"""The interfaces are packages by area (docs/architecture.md, "Interfaces by area"): an area's
modules import nothing of another area but the interface's `common`, so that a new area cannot
quietly lean on another's private helper. The request page is the one exception: it gathers the
sections of triage, appointments, help sessions and referrals, through their `request_section`
only.

import-linter (pyproject.toml) keeps the view modules, the form modules and the API's areas
apart among themselves; this test also catches one area's views or URLs importing another
area's forms or views, and reads every import, relative ones too, with `ast`."""

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
# Where the areas of staff and public live: views/<area>.py (or views/<area>/), and so on.
KINDS = ("views", "forms", "urls")
# Pages made of other areas' sections, and the one name they may import from each of them.
HUBS = {
    "jobhelp.staff.views.requests": {
        "jobhelp.staff.views.triage": {"request_section"},
        "jobhelp.staff.views.appointments": {"request_section"},
        "jobhelp.staff.views.casework": {"request_section"},
        "jobhelp.staff.views.referrals": {"request_section"},
    }
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def area_of(module: str) -> str | None:
    """`staff.views.triage` for jobhelp.staff.views.triage (and for anything below it),
    `api.scheduling` for jobhelp.api.scheduling.schemas; None for what belongs to no area:
    an interface's common, its root URLs, its apps and error pages."""
    parts = module.split(".")
    if len(parts) < 3 or parts[0] != "jobhelp":
        return None
    interface = parts[1]
    if interface in ("staff", "public") and len(parts) >= 4 and parts[2] in KINDS:
        return f"{interface}.{parts[3]}"
    if interface == "api" and (SRC / "jobhelp" / "api" / parts[2] / "__init__.py").exists():
        return None if parts[2] == "common" else f"api.{parts[2]}"
    return None


def imports(module: str, source: str, *, is_package: bool) -> list[tuple[str, set[str]]]:
    """(imported module, names taken from it) for every import in `source`. `from a import b`
    counts as importing a.b when b is a module of an area."""
    found = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, set()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if area_of(submodule) is not None and area_of(submodule) != area_of(base):
                    found.append((submodule, set()))
                else:
                    found.append((base, {alias.name}))
    return found


def crossings(files: dict[Path, str]) -> list[str]:
    """Every import of another area's module, except the hubs' allowed names, and every
    import of an area by a module that belongs to none but is an interface's common."""
    wrong = []
    for path, source in files.items():
        module = module_name(path)
        mine = area_of(module)
        if mine is None and module.split(".")[2:3] != ["common"]:
            continue
        for imported, names in imports(module, source, is_package=path.name == "__init__.py"):
            theirs = area_of(imported)
            if theirs is None or theirs == mine:
                continue
            allowed = HUBS.get(module, {}).get(imported, set())
            if names and names <= allowed:
                continue
            wrong.append(f"{module} imports {imported} ({', '.join(sorted(names)) or 'module'})")
    return wrong


def interface_files() -> dict[Path, str]:
    return {
        path: path.read_text()
        for interface in ("staff", "public", "api")
        for path in sorted((SRC / "jobhelp" / interface).rglob("*.py"))
        if "migrations" not in path.parts
    }


def test_no_area_imports_another_areas_modules():
    assert crossings(interface_files()) == []


def test_the_check_finds_an_area_leaning_on_another():
    staff = SRC / "jobhelp" / "staff"
    made_up = {
        staff / "views" / "partnerships.py": (
            "from jobhelp.staff.views.casework import request_zone\n"
            "from jobhelp.staff.forms import classes\n"
            "from ..views.triage import request_section\n"
            "from jobhelp.staff.common.views import in_zone\n"
            "from jobhelp.staff.forms.partnerships import AgreementForm\n"
        ),
        staff / "views" / "requests.py": (
            "from jobhelp.staff.views.casework import request_section\n"
            "from jobhelp.staff.views.casework import request_zone\n"
        ),
        staff / "common" / "views.py": "from jobhelp.staff.forms.triage import QueueFilterForm\n",
        SRC / "jobhelp" / "api" / "triage" / "endpoints.py": (
            "from jobhelp.api.requests.schemas import RequestIn\n"
            "from jobhelp.api.common.schemas import Id\n"
        ),
    }

    assert crossings(made_up) == [
        "jobhelp.staff.views.partnerships imports jobhelp.staff.views.casework (request_zone)",
        "jobhelp.staff.views.partnerships imports jobhelp.staff.forms.classes (module)",
        "jobhelp.staff.views.partnerships imports jobhelp.staff.views.triage (request_section)",
        "jobhelp.staff.views.requests imports jobhelp.staff.views.casework (request_zone)",
        "jobhelp.staff.common.views imports jobhelp.staff.forms.triage (QueueFilterForm)",
        "jobhelp.api.triage.endpoints imports jobhelp.api.requests.schemas (RequestIn)",
    ]


def test_the_api_contract_names_every_api_area():
    """import-linter's layers name the API's areas one by one: a new area must join them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["id"] == "api-in-layers")["layers"]
    api = SRC / "jobhelp" / "api"
    areas = {path.parent.name for path in api.glob("*/__init__.py")} - {"common"}

    assert {name.strip() for name in layers[1].split("|")} == areas
