from django.apps import AppConfig


class AddressesConfig(AppConfig):
    name = "marketplace.addresses"
    label = "addresses"
    verbose_name = "地址 Addresses"
