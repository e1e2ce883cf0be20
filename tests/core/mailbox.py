"""An e-mail backend for a worker subprocess: one file per message in $YUANTOU_TEST_MAILBOX.

When a message's notification key equals $YUANTOU_TEST_MAILBOX_HANG it writes `sending-<key>`
and hangs before delivering, so a test can kill the worker in the middle of a send.
"""

import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class FileMailbox(BaseEmailBackend):
    def send_messages(self, messages):
        folder = Path(os.environ["YUANTOU_TEST_MAILBOX"])
        for message in messages:
            key = message.extra_headers["X-Yuantou-Notification"].replace(":", "-")
            if key == os.environ.get("YUANTOU_TEST_MAILBOX_HANG"):
                (folder / f"sending-{key}").touch()
                time.sleep(600)
            with open(folder / f"sent-{key}-{time.monotonic_ns()}", "w") as sent:
                sent.write(message.to[0])
        return len(messages)
