"""Keep an uploaded file between the preview and the "import" click, without trusting the browser.

The file goes to a private directory under a random name; the page carries only a signed token
naming it, the factory and the person, valid for an hour. Taking it back renames the file first
(atomic), so a double click or two tabs import it once, and nobody else's token opens it.
"""

import os
import re
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core import signing

SALT = "frontend.catalog_import.upload"
MAX_AGE_SECONDS = 3600
NAME = re.compile(r"[0-9a-f]{32}")


def _directory() -> Path:
    default = Path(tempfile.gettempdir()) / "yuantou-catalog-imports"
    directory = Path(getattr(settings, "CATALOG_IMPORT_DIR", default))
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _sweep(directory: Path) -> None:
    """Drop what nobody confirmed within the hour (cheap: at most a few files per factory)."""
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in directory.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            continue  # another request swept or took it first


def upload_keep(content: bytes, *, factory_id: int, user_id: int) -> str:
    directory = _directory()
    _sweep(directory)
    name = secrets.token_hex(16)
    (directory / name).write_bytes(content)
    return signing.dumps({"n": name, "f": factory_id, "u": user_id}, salt=SALT)


def upload_take(token: str, *, factory_id: int, user_id: int) -> bytes | None:
    """The file's bytes, once; None when the token is forged, expired, someone else's or used."""
    try:
        data = signing.loads(token or "", salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("f") != factory_id or data.get("u") != user_id:
        return None
    name = data.get("n")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        return None
    directory = _directory()
    taken = directory / f"{name}.taken"
    try:
        os.rename(directory / name, taken)
    except FileNotFoundError:
        return None
    try:
        return taken.read_bytes()
    finally:
        taken.unlink(missing_ok=True)
