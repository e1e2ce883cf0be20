"""Where a webhook may be sent: receivers on the public internet only.

A subscription URL is the partner's to choose, and the worker that posts to it sits inside our
network: without this check a URL could make it call the cloud's metadata service, a database's
HTTP port or an admin page on 10.x (server-side request forgery). Names are checked twice: a URL
naming a private address or a local name is refused when it is saved, and the addresses a host
name resolves to are checked before every attempt (a name may point elsewhere later). What is
left is the short window between that resolution and the connection (DNS rebinding), which only
an egress proxy closes; docs/deploy.md says so.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

LOCAL_NAMES = ("localhost", ".localhost", ".local", ".internal", ".lan", ".home.arpa")


def _not_public(address: str) -> bool:
    return not ipaddress.ip_address(address.split("%", 1)[0]).is_global  # (an IPv6 scope id)


def refusal(url: str, *, resolve: bool) -> str | None:
    """Why `url` may not be called (None: it may). `resolve`: look the host name up too."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    if settings.WEBHOOK_ALLOW_LOCAL_HTTP and host == "127.0.0.1":  # tests and development
        return None
    if host == LOCAL_NAMES[0] or host.endswith(LOCAL_NAMES[1:]):
        return f"{host} is a local name"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return f"{host} is not a public address" if _not_public(host) else None
    if not resolve:
        return None
    try:
        found = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return f"{host} cannot be resolved"
    for *_, sockaddr in found:
        if _not_public(str(sockaddr[0])):
            return f"{host} resolves to {sockaddr[0]}, not a public address"
    return None
