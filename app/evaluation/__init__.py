"""Evaluation questionnaires at the end of a trajectory: sent by a facilitator, answered once
by each member they are for, read by the facilitators only."""
