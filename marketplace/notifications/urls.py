from django.urls import path

from . import api

urlpatterns = [
    path("notifications/", api.NotificationListApi.as_view(), name="notification-list"),
    path("notifications/<int:pk>/read/", api.NotificationReadApi.as_view(), name="notification-read"),
]
