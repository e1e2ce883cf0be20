from django.urls import path

from .views.moderation import moderation_dashboard

urlpatterns = [path("", moderation_dashboard, name="moderation-dashboard")]
