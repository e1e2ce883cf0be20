"""The one Celery app. Settings come from Django settings under the CELERY_ namespace."""

import os

from celery import Celery, Task
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# A task treats its database connection as a request does. Celery's Django fixup closes every
# connection before and after each task unless CELERY_DB_REUSE_MAX is set (settings sets it), so
# each e-mail task opened a new PostgreSQL backend: 2,150 in one 40-second `make load` run, a good
# part of PostgreSQL's CPU. Instead, like Django around a request, keep a connection for
# CONN_MAX_AGE and replace it when an error left it unusable or the health check finds it closed.
def _close_old_database_connections(task: Task, **kwargs: object) -> None:
    # An eager task runs inside its caller (a request, a test's transaction), whose connection
    # is the caller's to manage: closing it there would end the caller's transaction.
    if task.request.is_eager:
        return
    from django.db import close_old_connections

    close_old_connections()


task_prerun.connect(_close_old_database_connections, weak=False)
task_postrun.connect(_close_old_database_connections, weak=False)
