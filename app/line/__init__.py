"""The facilitators' line: a member's private conversation with the group's leads."""
