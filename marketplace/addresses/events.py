"""Every event verb the addresses app records (see factories/events.py)."""


class AddressEvents:
    CREATED = "address.created"
    UPDATED = "address.updated"
