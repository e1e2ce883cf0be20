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


def function_level_imports(path: Path) -> set[str]:
    """Modules imported inside a function or method of a file (the way circles get hidden)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for func in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = package.rsplit(".", node.level - 1)[0] if node.level else ""
                module = ".".join(part for part in (base, node.module or "") if part)
                found.add(module)
                found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def test_payments_and_trials_services_import_one_way():
    # trials.py imports payments.py (a cancel voids live attempts); payments.py reaches the trial
    # only through trial_steps.py, never back into trials.py, not even inside a function.
    services = ROOT / "trials" / "services"
    payments, trials = services / "payments.py", services / "trials.py"
    assert offenders([payments], ("trials.services.trials",)) == []
    assert "trials.services.trials" not in function_level_imports(payments)
    assert not {m for m in function_level_imports(trials) if m.startswith("trials.services.payments")}
    assert "trials.services.payments" in imported_modules(trials)


def test_function_level_import_detector_sees_a_hidden_import():
    # The check above must be able to fail: an import inside a function is found.
    module = ROOT / "trials" / "services" / "_probe_hidden_import.py"
    module.write_text("def f():\n    from .trials import trial_cancel\n", encoding="utf-8")
    try:
        assert "trials.services.trials" in function_level_imports(module)
        assert offenders([module], ("trials.services.trials",)) != []
    finally:
        module.unlink()
