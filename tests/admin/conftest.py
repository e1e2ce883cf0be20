import pytest
from django.test import Client


@pytest.fixture
def staff_client(staff):
    """Django's test client, signed in as staff, in English (tests assert exact messages)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    return client


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Every maker hashes a password; PBKDF2's deliberate slowness is not what these tests check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
