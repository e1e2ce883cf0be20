from django.urls import path

from . import api, invitation_api
from .webhooks import api as webhooks

urlpatterns = [
    path("organizations/", api.OrganizationListCreateApi.as_view(), name="organization-list"),
    path("organizations/<int:pk>/", api.OrganizationDetailApi.as_view(), name="organization-detail"),
    path(
        "organizations/<int:pk>/members/",
        invitation_api.MemberInviteApi.as_view(),
        name="organization-members",
    ),
    path(
        "organizations/<int:pk>/invitations/<int:invitation_id>/withdraw/",
        invitation_api.InvitationWithdrawApi.as_view(),
        name="organization-invitation-withdraw",
    ),
    path("member-invitations/", invitation_api.InvitationListApi.as_view(), name="member-invitation-list"),
    path(
        "member-invitations/<int:pk>/accept/",
        invitation_api.InvitationAcceptApi.as_view(),
        name="member-invitation-accept",
    ),
    path(
        "member-invitations/<int:pk>/decline/",
        invitation_api.InvitationDeclineApi.as_view(),
        name="member-invitation-decline",
    ),
    path(
        "organizations/<int:pk>/members/<int:user_id>/",
        api.MemberDetailApi.as_view(),
        name="organization-member",
    ),
    path("organizations/<int:pk>/keys/", api.KeyListCreateApi.as_view(), name="organization-keys"),
    path(
        "organizations/<int:pk>/keys/<int:key_id>/revoke/",
        api.KeyRevokeApi.as_view(),
        name="organization-key-revoke",
    ),
    path(
        "organizations/<int:pk>/keys/<int:key_id>/rotate/",
        api.KeyRotateApi.as_view(),
        name="organization-key-rotate",
    ),
    path("streamer-links/", api.LinkListCreateApi.as_view(), name="streamer-link-list"),
    path("streamer-links/<int:pk>/accept/", api.LinkAcceptApi.as_view(), name="streamer-link-accept"),
    path("streamer-links/<int:pk>/end/", api.LinkEndApi.as_view(), name="streamer-link-end"),
    path("partner/", api.PartnerApi.as_view(), name="partner"),
    path("organizations/<int:pk>/webhooks/", webhooks.WebhookListCreateApi.as_view(), name="webhook-list"),
    path(
        "organizations/<int:pk>/webhooks/<int:webhook_id>/",
        webhooks.WebhookDetailApi.as_view(),
        name="webhook-detail",
    ),
    path(
        "organizations/<int:pk>/webhooks/<int:webhook_id>/enable/",
        webhooks.WebhookEnableApi.as_view(),
        name="webhook-enable",
    ),
    path(
        "organizations/<int:pk>/webhooks/<int:webhook_id>/rotate-secret/",
        webhooks.WebhookRotateSecretApi.as_view(),
        name="webhook-rotate-secret",
    ),
    path(
        "organizations/<int:pk>/webhooks/<int:webhook_id>/deliveries/",
        webhooks.DeliveryListApi.as_view(),
        name="webhook-deliveries",
    ),
    path(
        "organizations/<int:pk>/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver/",
        webhooks.RedeliverApi.as_view(),
        name="webhook-redeliver",
    ),
    # A factory's own webhooks (product.* about its products): its owner, with their own sign-in.
    path(
        "factories/<int:pk>/webhooks/",
        webhooks.FactoryWebhookListCreateApi.as_view(),
        name="factory-webhook-list",
    ),
    path(
        "factories/<int:pk>/webhooks/<int:webhook_id>/",
        webhooks.FactoryWebhookDetailApi.as_view(),
        name="factory-webhook-detail",
    ),
    path(
        "factories/<int:pk>/webhooks/<int:webhook_id>/enable/",
        webhooks.FactoryWebhookEnableApi.as_view(),
        name="factory-webhook-enable",
    ),
    path(
        "factories/<int:pk>/webhooks/<int:webhook_id>/rotate-secret/",
        webhooks.FactoryWebhookRotateSecretApi.as_view(),
        name="factory-webhook-rotate-secret",
    ),
    path(
        "factories/<int:pk>/webhooks/<int:webhook_id>/deliveries/",
        webhooks.FactoryDeliveryListApi.as_view(),
        name="factory-webhook-deliveries",
    ),
    path(
        "factories/<int:pk>/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver/",
        webhooks.FactoryRedeliverApi.as_view(),
        name="factory-webhook-redeliver",
    ),
]
