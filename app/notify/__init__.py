"""Notifications: the email outbox (and, later, in-app notifications and digests)."""
