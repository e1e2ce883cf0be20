"""Polling for what a real worker, webhook or search node does in the background.

Tests against real processes cannot know when the other side is done; they poll a condition
instead of sleeping a fixed time, so a fast machine is not slowed down and a slow one gets the
whole timeout before the test fails.
"""

import time
from collections.abc import Callable


def wait_until(condition: Callable[[], object], timeout: float = 30.0, message: str = "") -> float:
    """Return the seconds it took `condition()` to become true; fail the test after `timeout`."""
    started = time.monotonic()
    while True:
        if condition():
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{message or 'not true'} after {timeout} s")
        time.sleep(0.05)
