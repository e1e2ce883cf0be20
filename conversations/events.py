"""Event verbs of the conversations app (past tense, like every app's events.py). A message is
its own record; only the start of a conversation is an audit event."""


class ConversationEvents:
    STARTED = "conversation.started"
    MESSAGE = "conversation.message"  # the notification kind of a new message
    REPORTED = "conversation.reported"
    REPORT_RESOLVED = "conversation.report_resolved"
    REPORT_DISMISSED = "conversation.report_dismissed"
    SENDER_BLOCKED = "conversation.sender_blocked"
