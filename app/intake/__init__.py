"""Intake: a space's public interest page, registrations confirmed by email, and the
facilitators' list with its statuses (new, intake planned, admitted, declined, waiting list)."""
