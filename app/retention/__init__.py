"""Retention (issue 11): what Kring keeps and for how long. The rental warnings, the purge of
spaces past their grace period, the worker's sweeps of old personal data, and /privacy."""
