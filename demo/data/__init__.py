"""Realistic Chinese demo data for `manage.py seed_demo` (tables, generators and the seeding code)."""
