"""Gunicorn for the web process (`make serve`, production). Read by `gunicorn -c deploy/gunicorn.conf.py`.

Sizing for the 2-core machines: a request spends most of its time waiting on PostgreSQL, Redis or
the search node, so threads (gthread) keep the cores busy without one process per request; two
processes use both cores. WEB_WORKERS / WEB_THREADS override it on bigger machines
(rule of thumb: one worker per core, 4–8 threads each).
"""

import multiprocessing
import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS", min(multiprocessing.cpu_count(), 4)))
threads = int(os.environ.get("WEB_THREADS", "8"))
# runserver's small listen backlog reset 11 of 50 simultaneous connections: queue them instead.
backlog = int(os.environ.get("WEB_BACKLOG", "2048"))
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))  # a request past this is a bug or an outage
graceful_timeout = 20
keepalive = 5
# Recycle a worker now and then so a slow leak never grows without bound. Not too often: at the
# ~100 requests/s a worker serves under `make load`, 5,000 recycled each one every 50 s, and its
# successor starts with new database connections and cold caches; 50,000 is every ~8 minutes.
max_requests = 50000
max_requests_jitter = 5000
accesslog = os.environ.get("WEB_ACCESS_LOG", "-")
# The response's X-Request-ID (marketplace/core/request_id.py) ties the access line to the app's.
# With SERVER_TIMING=1 the line also says where the time went (marketplace/core/server_timing.py).
access_log_format = (
    '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s timing="%({server-timing}o)s"'
)
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")
# Load the app before forking: workers share its memory pages (import cost paid once).
preload_app = True
