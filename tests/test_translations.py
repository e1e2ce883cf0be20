"""Everything a person sees exists in Chinese and English.

Code and templates are written in English; `locale/zh_Hans/LC_MESSAGES/django.po` carries the
Chinese. These tests fail when a new string is added without its translation (`make messages`),
when a translation drops or invents a placeholder, or when the compiled .mo is stale.
"""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SOURCE_DIRS = [
    "marketplace",
    "factories",
    "buyers",
    "partners",
    "conversations",
    "trials",
    "tours",
    "search",
    "frontend",
]
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[-#0 +]*\d*(?:\.\d+)?[sdfi]|%[sd]|\{[a-z_]+\}")


@pytest.fixture(scope="module")
def catalogue():
    return {entry.msgid: entry for entry in polib.pofile(str(PO)) if not entry.obsolete}


def python_msgids() -> set[str]:
    found = set()
    for directory in SOURCE_DIRS:
        for path in (ROOT / directory).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                first = (
                    node.args[1]
                    if name in ("pgettext", "pgettext_lazy") and len(node.args) > 1
                    else node.args[0]
                )
                if name in GETTEXT_NAMES and isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
    return found


def template_msgids() -> set[str]:
    found = set()
    for path in ROOT.glob("*/templates/**/*.html"):
        for text in re.findall(r'{%\s*(?:translate|trans)\s+"([^"]+)"', path.read_text(encoding="utf-8")):
            found.add(text.replace("%", "%%") if "%" in text else text)
    return found


def test_every_catalogue_entry_is_translated(catalogue):
    untranslated = [m for m, e in catalogue.items() if m and (not (e.msgstr or e.msgstr_plural) or e.fuzzy)]
    assert untranslated == []


def test_every_string_in_code_and_templates_is_in_the_catalogue(catalogue):
    missing = sorted((python_msgids() | template_msgids()) - set(catalogue))
    assert missing == [], "run `make messages` and translate the new entries"


def test_translations_keep_their_placeholders(catalogue):
    wrong = [
        msgid
        for msgid, entry in catalogue.items()
        if entry.msgstr and sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr))
    ]
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file(catalogue):
    compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(str(MO))}
    stale = [m for m, e in catalogue.items() if m and e.msgstr and compiled.get(m) != e.msgstr]
    assert stale == [], "run `make messages` to recompile locale/zh_Hans/LC_MESSAGES/django.mo"


def test_api_speaks_chinese_when_asked(api_zh, db):
    response = api_zh.post("/api/v1/auth/token/", {"username": "nobody", "password": "wrong-password"})
    assert response.json() == {"detail": "用户名或密码错误。"}


def test_pages_speak_both_languages(client, db):
    assert "为你的直播间找到源头工厂" in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert (
        "Find the source factory for your live room"
        in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_nothing_is_translated_once_at_import_time():
    """`gettext` at module or class level freezes the language of whoever imported it first;
    such strings must use `gettext_lazy`."""
    eager_calls = []
    for directory in SOURCE_DIRS:
        for path in (ROOT / directory).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            eager = {
                alias.asname or alias.name
                for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
                for alias in node.names
                if alias.name in ("gettext", "ngettext", "pgettext")
            }
            eager_calls += [
                f"{path.relative_to(ROOT)}:{line}" for line in _calls_outside_functions(tree, eager)
            ]
    assert eager_calls == []


def _calls_outside_functions(node, names, inside=False):
    for child in ast.iter_child_nodes(node):
        nested = inside or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        if not inside and isinstance(child, ast.Call) and getattr(child.func, "id", None) in names:
            yield child.lineno
        yield from _calls_outside_functions(child, names, nested)
