"""Spaces: group spaces, memberships and roles, invitations, working agreements."""
