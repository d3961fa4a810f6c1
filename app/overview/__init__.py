"""The participation overview (/s/<slug>/overview): for the facilitators, who is taking part
and who is falling silent, what waits for an answer, and the group's activity per week."""
