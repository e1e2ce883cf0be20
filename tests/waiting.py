"""Waiting for something a real worker, server or webhook does in its own time."""

import time
from collections.abc import Callable


def eventually(predicate: Callable[[], object], timeout: float = 30.0) -> bool:
    """True as soon as `predicate()` is truthy (checked every 0.1 s), False after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False
