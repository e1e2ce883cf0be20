"""The arrows this change put right stay right: core imports no app, factories and buyers do not
import search, and no service module imports its app's tasks (tasks call services, not back)."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS_ABOVE_CORE = ("factories", "buyers", "trials", "search", "frontend", "marketplace.notifications")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it (an import inside a function counts too)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def offenders(files, forbidden) -> list[str]:
    return sorted(
        f"{path.relative_to(ROOT)} imports {module}"
        for path in files
        for module in imported_modules(path)
        if any(module == f or module.startswith(f + ".") for f in forbidden)
    )


def test_core_imports_no_app_above_it():
    # Demo data sits on top of every app (it only lives in core's folder).
    files = [
        p
        for p in (ROOT / "marketplace" / "core").rglob("*.py")
        if "demo_data" not in p.parts and "migrations" not in p.parts and p.name != "seed_demo.py"
    ]
    assert offenders(files, APPS_ABOVE_CORE) == []


def test_factories_and_buyers_do_not_import_search():
    files = [p for app in ("factories", "buyers") for p in (ROOT / app).rglob("*.py")]
    assert offenders(files, ("search",)) == []


def test_services_do_not_import_tasks():
    files = [
        *(ROOT / "trials" / "services").glob("*.py"),
        ROOT / "marketplace" / "notifications" / "services.py",
        *(ROOT / "factories" / "services").glob("*.py"),
        ROOT / "buyers" / "services.py",
    ]
    assert offenders(files, ("trials.tasks", "marketplace.notifications.tasks", "search.tasks")) == []
