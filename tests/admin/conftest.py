import pytest
from django.test import Client


@pytest.fixture
def staff_client(staff):
    """Django's test client, signed in as staff, in English (tests assert exact messages)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    return client
