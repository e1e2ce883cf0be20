"""Outbound webhooks (issue 12, point 3): subscriptions, delivery rows written with the change,
signed POSTs with backoff, a delivery log. See docs/api.md "Webhooks"."""
