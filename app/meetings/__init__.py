"""Meetings: the group's rhythm of one-off meetings and series, who comes and who cancels."""
