from django.urls import path

from .api import views

urlpatterns = [
    path("conversations/", views.ConversationListApi.as_view(), name="conversation-list"),
    path("conversations/unread/", views.UnreadApi.as_view(), name="conversation-unread"),
    path("conversations/contact-card/", views.ContactCardApi.as_view(), name="conversation-contact-card"),
    path("conversations/<int:pk>/", views.ConversationDetailApi.as_view(), name="conversation-detail"),
    path(
        "conversations/<int:pk>/messages/",
        views.ConversationMessagesApi.as_view(),
        name="conversation-messages",
    ),
    path("conversations/<int:pk>/topics/", views.TopicsApi.as_view(), name="conversation-topics"),
    path("conversations/<int:pk>/reports/", views.ReportApi.as_view(), name="conversation-reports"),
    path("conversations/<int:pk>/read/", views.ReadApi.as_view(), name="conversation-read"),
    path(
        "conversations/<int:pk>/attachments/<int:attachment_id>/",
        views.AttachmentApi.as_view(),
        name="conversation-attachment",
    ),
]
