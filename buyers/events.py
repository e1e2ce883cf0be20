"""Every event verb the buyers app records (see factories/events.py)."""


class BuyerEvents:
    CREATED = "buyer.created"
    UPDATED = "buyer.updated"
