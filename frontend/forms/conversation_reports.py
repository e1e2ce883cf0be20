"""The report form under a conversation page (the whole conversation, or one of the other side's
messages): what conversations.moderation.conversation_report_create needs, bounded as the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from conversations.models import ConversationReport, ReportReason


class ConversationReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ReportReason.choices)
    detail = forms.CharField(
        label=_("What happened (optional)"),
        required=False,
        max_length=ConversationReport.MAX_DETAIL,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": ConversationReport.MAX_DETAIL}),
    )
    message = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
