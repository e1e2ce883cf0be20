from django.urls import path

from .api import views

ACTIONS = {
    "confirm": views.ConfirmApi,
    "propose": views.ProposeApi,
    "accept-proposal": views.AcceptProposalApi,
    "decline-proposal": views.DeclineProposalApi,
    "cancel": views.CancelApi,
    "rate": views.RateApi,
}

urlpatterns = [
    path("tours/availability/", views.AvailabilityApi.as_view(), name="tour-availability"),
    path("tours/factories/<int:factory_id>/slots/", views.SlotsApi.as_view(), name="tour-slots"),
    path("tours/bookings/", views.BookingListCreateApi.as_view(), name="tour-booking-list"),
    path("tours/bookings/<int:pk>/", views.BookingDetailApi.as_view(), name="tour-booking-detail"),
    *[
        path(f"tours/bookings/<int:pk>/{action}/", view.as_view(), name=f"tour-booking-{action}")
        for action, view in ACTIONS.items()
    ],
]
