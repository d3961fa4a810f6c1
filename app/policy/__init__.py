"""Who may do what: the one rulebook. One role → permission table (core) plus pure
`can_<verb>_<noun>(actor, obj)` rules per part that deny by default and never query: the
actor's memberships (with their spaces) are loaded once per request."""
from __future__ import annotations

from app.policy.core import *  # noqa: F401,F403
from app.policy.attendance import *  # noqa: F401,F403
from app.policy.audit import *  # noqa: F401,F403
from app.policy.departures import *  # noqa: F401,F403
from app.policy.erasure import *  # noqa: F401,F403
from app.policy.evaluation import *  # noqa: F401,F403
from app.policy.exports import *  # noqa: F401,F403
from app.policy.forum import *  # noqa: F401,F403
from app.policy.intake import *  # noqa: F401,F403
from app.policy.library import *  # noqa: F401,F403
from app.policy.line import *  # noqa: F401,F403
from app.policy.meetings import *  # noqa: F401,F403
from app.policy.moderation import *  # noqa: F401,F403
from app.policy.notes import *  # noqa: F401,F403
from app.policy.overview import *  # noqa: F401,F403
from app.policy.retention import *  # noqa: F401,F403
from app.policy.schedule import *  # noqa: F401,F403
from app.policy.seeding import *  # noqa: F401,F403
from app.policy.sessions import *  # noqa: F401,F403
from app.policy.spaces import *  # noqa: F401,F403
from app.policy.twofactor import *  # noqa: F401,F403
from app.policy.uploads import *  # noqa: F401,F403
from app.policy.thread_page import *  # noqa: F401,F403
from app.policy.navigation import *  # noqa: F401,F403


def can(actor: Actor, rule: str, obj=None, *args) -> bool:
    """Template entry point: can('reply_thread', thread) → can_reply_thread(actor, thread)."""
    check = globals().get(f"can_{rule}")
    if check is None:
        raise KeyError(f"no policy rule can_{rule}")
    return bool(check(actor, obj, *args))
