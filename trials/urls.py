from django.urls import path
from rest_framework.views import APIView

from .api import bulk, custom, payments, samples, trials

BULK_ACTIONS: dict[str, type[APIView]] = {
    "confirm": bulk.BulkConfirmApi,
    "decline": bulk.BulkDeclineApi,
    "cancel": bulk.BulkCancelApi,
    "pay": bulk.BulkPayApi,
    "start-production": bulk.BulkStartProductionApi,
    "ship": bulk.BulkShipApi,
    "receive": bulk.BulkReceiveApi,
    "complete": bulk.BulkCompleteApi,
    "dispute": bulk.BulkDisputeApi,
    "resume": bulk.BulkResumeApi,
    "cancel-with-refund": bulk.BulkCancelWithRefundApi,
}

urlpatterns = [
    path("trials/", trials.TrialListCreateApi.as_view(), name="trial-list"),
    path("trials/<int:pk>/", trials.TrialDetailApi.as_view(), name="trial-detail"),
    path("trials/<int:pk>/accept/", trials.TrialAcceptApi.as_view(), name="trial-accept"),
    path("trials/<int:pk>/decline/", trials.TrialDeclineApi.as_view(), name="trial-decline"),
    path("trials/<int:pk>/cancel/", trials.TrialCancelApi.as_view(), name="trial-cancel"),
    path("trials/<int:pk>/pay/", trials.TrialPayApi.as_view(), name="trial-pay"),
    path("trials/<int:pk>/ship/", trials.TrialShipApi.as_view(), name="trial-ship"),
    path("trials/<int:pk>/receive/", trials.TrialReceiveApi.as_view(), name="trial-receive"),
    path("trials/<int:pk>/feedback/", trials.TrialFeedbackApi.as_view(), name="trial-feedback"),
    path("trials/<int:pk>/convert/", trials.TrialConvertApi.as_view(), name="trial-convert"),
    path("trials/<int:pk>/end/", trials.TrialEndApi.as_view(), name="trial-end"),
    path("bulk-orders/", bulk.BulkOrderListApi.as_view(), name="bulk-order-list"),
    path("bulk-orders/<int:pk>/", bulk.BulkOrderDetailApi.as_view(), name="bulk-order-detail"),
    *[
        path(f"bulk-orders/<int:pk>/{action}/", view.as_view(), name=f"bulk-order-{action}")
        for action, view in BULK_ACTIONS.items()
    ],
    path("samples/", samples.SampleListCreateApi.as_view(), name="sample-list"),
    path("samples/<int:pk>/", samples.SampleDetailApi.as_view(), name="sample-detail"),
    path("samples/<int:pk>/accept/", samples.SampleAcceptApi.as_view(), name="sample-accept"),
    path("samples/<int:pk>/decline/", samples.SampleDeclineApi.as_view(), name="sample-decline"),
    path("samples/<int:pk>/cancel/", samples.SampleCancelApi.as_view(), name="sample-cancel"),
    path("samples/<int:pk>/ship/", samples.SampleShipApi.as_view(), name="sample-ship"),
    path("samples/<int:pk>/receive/", samples.SampleReceiveApi.as_view(), name="sample-receive"),
    path("custom-requests/", custom.CustomRequestListCreateApi.as_view(), name="custom-request-list"),
    path("custom-requests/<int:pk>/", custom.CustomRequestDetailApi.as_view(), name="custom-request-detail"),
    path(
        "custom-requests/<int:pk>/cancel/",
        custom.CustomRequestCancelApi.as_view(),
        name="custom-request-cancel",
    ),
    path("custom-requests/<int:pk>/quotes/", custom.QuoteListCreateApi.as_view(), name="quote-list"),
    path(
        "custom-requests/<int:pk>/quotes/<int:quote_id>/accept/",
        custom.QuoteAcceptApi.as_view(),
        name="quote-accept",
    ),
    path(
        "custom-requests/<int:pk>/quotes/<int:quote_id>/order/",
        custom.QuoteOrderApi.as_view(),
        name="quote-order",
    ),
    path("custom-requests/<int:pk>/messages/", custom.MessageListCreateApi.as_view(), name="custom-messages"),
    path("payments/stripe/webhook/", payments.StripeWebhookApi.as_view(), name="stripe-webhook"),
    path("payments/<int:pk>/confirm/", payments.PaymentConfirmApi.as_view(), name="payment-confirm"),
]
