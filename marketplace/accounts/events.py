"""Every event verb the accounts app records (see factories/events.py)."""


class AccountEvents:
    USER_REGISTERED = "user.registered"
    API_KEY_CREATED = "api_key.created"
