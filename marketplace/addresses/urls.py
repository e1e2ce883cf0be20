from django.urls import path

from . import api

urlpatterns = [
    path("addresses/", api.AddressListCreateApi.as_view(), name="address-list"),
    path("addresses/<int:pk>/", api.AddressDetailApi.as_view(), name="address-detail"),
    path("divisions/", api.DivisionListApi.as_view(), name="division-list"),
]
