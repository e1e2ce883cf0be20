"""Webhook signing secrets are stored encrypted (issue 12, point 3): no column holds the secret,
the keys come from WEBHOOK_SECRET_KEYS (the first encrypts, all decrypt), a rotation is finished
by `webhook_secrets_reseal`, and migration partners.0003 sealed the rows written before it."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from partners.models import WebhookSubscription
from partners.webhooks import services as webhook_services
from partners.webhooks.sealing import InvalidToken, unseal

pytestmark = pytest.mark.django_db

OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def _subscribe(organization, owner):
    return webhook_services.webhook_create(
        organization=organization, actor=owner, url="https://hooks.example.com/yt", event_types=["trial.*"]
    )


def _stored_row_text(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(s)::text FROM partners_webhooksubscription s WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_the_secret_is_returned_once_and_stored_only_encrypted(api, organization, owner):
    # when: the owner subscribes through the API
    response = api.as_user(owner).post(
        f"/api/v1/organizations/{organization.pk}/webhooks/",
        {"url": "https://hooks.example.com/yt", "event_types": ["trial.*"]},
        format="json",
    )
    # then: the response shows the secret; the row holds only a token that opens to it
    assert response.status_code == 201, response.content
    secret = response.json()["secret"]
    subscription = WebhookSubscription.objects.get()
    assert secret.startswith("whsec_") and secret not in _stored_row_text(subscription.pk)
    assert subscription.secret_sealed != secret and unseal(subscription.secret_sealed) == secret
    listed = api.get(f"/api/v1/organizations/{organization.pk}/webhooks/").content.decode()
    assert secret not in listed and subscription.secret_sealed not in listed


def test_rotation_the_first_key_seals_every_key_opens_and_reseal_moves_rows(settings, organization, owner):
    # given: a secret sealed under the old key
    settings.WEBHOOK_SECRET_KEYS = [OLD_KEY]
    subscription, secret = _subscribe(organization, owner)
    sealed_before = subscription.secret_sealed
    # when: the new key is put first, the old one kept
    settings.WEBHOOK_SECRET_KEYS = [NEW_KEY, OLD_KEY]
    # then: the old row still opens (deliveries go on during the rotation)
    assert unseal(sealed_before) == secret
    # when: the rows are sealed again
    call_command("webhook_secrets_reseal", stdout=open("/dev/null", "w"))  # noqa: SIM115
    subscription.refresh_from_db()
    # then: the new key alone opens them; the old key alone no longer does
    settings.WEBHOOK_SECRET_KEYS = [NEW_KEY]
    assert subscription.secret_sealed != sealed_before and unseal(subscription.secret_sealed) == secret
    settings.WEBHOOK_SECRET_KEYS = [OLD_KEY]
    with pytest.raises(InvalidToken):
        unseal(subscription.secret_sealed)


def test_without_keys_one_is_derived_from_secret_key(settings, organization, owner):
    settings.WEBHOOK_SECRET_KEYS = []
    subscription, secret = _subscribe(organization, owner)
    assert unseal(subscription.secret_sealed) == secret
    settings.SECRET_KEY = "another-secret-key-entirely"  # a different SECRET_KEY cannot open it
    with pytest.raises(InvalidToken):
        unseal(subscription.secret_sealed)


def test_a_malformed_key_is_a_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    from partners.webhooks.sealing import seal

    settings.WEBHOOK_SECRET_KEYS = ["not-a-fernet-key"]
    with pytest.raises(ImproperlyConfigured):
        seal("whsec_x")


BEFORE, AFTER = ("partners", "0002_webhooks"), ("partners", "0003_webhook_secret_sealed")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_migration_seals_the_secrets_written_in_clear_and_back(settings, organization):
    settings.WEBHOOK_SECRET_KEYS = [OLD_KEY]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("partners")
    try:
        # given: two subscriptions as 0002 stored them, the secret in clear
        old_apps = _migrate(BEFORE)
        OldSubscription = old_apps.get_model("partners", "WebhookSubscription")
        secrets = {}
        for n in range(2):
            row = OldSubscription.objects.create(
                organization_id=organization.pk,
                url=f"https://hooks.example.com/{n}",
                event_types=["trial.*"],
                secret=f"whsec_clear_{n}",
            )
            secrets[row.pk] = row.secret
        # when
        new_apps = _migrate(AFTER)
        # then: each row holds a token of its own secret, and the clear text is nowhere
        NewSubscription = new_apps.get_model("partners", "WebhookSubscription")
        sealed = dict(NewSubscription.objects.values_list("pk", "secret_sealed"))
        assert {pk: unseal(token) for pk, token in sealed.items()} == secrets
        for pk, secret in secrets.items():
            assert secret not in _stored_row_text(pk)
        # and back: the clear column holds them again
        back_apps = _migrate(BEFORE)
        Back = back_apps.get_model("partners", "WebhookSubscription")
        assert dict(Back.objects.values_list("pk", "secret")) == secrets
    finally:
        MigrationExecutor(connection).migrate(latest)
