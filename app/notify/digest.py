"""Daily and weekly digests: one content-free email per member per period with counts per
space, computed by the worker on schedule; nothing is sent when there is nothing new."""
from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import and_, case, func, literal, select, update

from app.accounts.models import User
from app.database import transactional, utcnow
from app.extensions import db
from app.forum.models import Thread
from app.notify.kinds import CATEGORY_OF, SEED_CONTENT
from app.notify.models import (
    DAILY, DEFAULT_DIGEST_HOUR, DEFAULT_MODES, NEVER, WEEKLY, DigestRun, Notification,
    NotificationSettings,
)
from app.notify.outbox import Mail, enqueue
from app.notify.service import space_label, unsubscribe_headers, unsubscribe_token
from app.spaces.models import Membership, Space
from app.upsert import upsert
from app.urls import external_url

log = logging.getLogger("kring.mail")


def _period_start(now: datetime, period: str, hour: int) -> datetime:
    """The latest moment this period's digest was due: today (or this week's Monday) at
    `hour` local time, stepping back one period if that is still ahead."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    local = now.astimezone(zone)
    due = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if period == WEEKLY:
        due -= timedelta(days=local.weekday())
    step = timedelta(days=7 if period == WEEKLY else 1)
    while due > local:
        due -= step
    return due.astimezone(ZoneInfo("UTC"))


def _mode():
    """SQL: the delivery mode that applies to a notification (its member's setting for the
    kind's category, or the default)."""
    return case({kind: func.coalesce(getattr(NotificationSettings, category), DEFAULT_MODES[category])
                 for kind, category in CATEGORY_OF.items()},
                value=Notification.kind, else_=literal(NEVER))


def _waiting(now: datetime):
    """Unmailed, unread notifications from spaces the recipient may still read (deleted
    posts took their notifications with them)."""
    return (Notification.mailed_at.is_(None), Notification.read_at.is_(None),
            Membership.usable_at(now))


def due_digests(now: datetime) -> list[tuple[int, str, datetime]]:
    """(user, period, due moment) for every digest due at `now`, from one grouped query:
    per user and period only the earliest digest hour, the oldest waiting notification and
    the last run come back, never the notifications themselves."""
    mode = _mode().label("period")
    waiting = (select(Notification.user_id, mode,
                      func.coalesce(NotificationSettings.digest_hour, DEFAULT_DIGEST_HOUR).label("hour"),
                      Notification.created_at)
               .join(Membership, Membership.id == Notification.membership_id)
               .outerjoin(NotificationSettings,
                          NotificationSettings.membership_id == Notification.membership_id)
               .where(*_waiting(now), mode.in_((DAILY, WEEKLY)))).subquery()
    rows = db.session.execute(
        select(waiting.c.user_id, waiting.c.period, func.min(waiting.c.hour),
               func.min(waiting.c.created_at), DigestRun.last_sent_at)
        .outerjoin(DigestRun, and_(DigestRun.user_id == waiting.c.user_id,
                                   DigestRun.period == waiting.c.period))
        .group_by(waiting.c.user_id, waiting.c.period, DigestRun.last_sent_at)
        .order_by(waiting.c.user_id, waiting.c.period))
    due = []
    for user_id, period, hour, oldest, last in rows:
        # One digest per user and period, at the earliest hour any of their spaces asks for.
        moment = _period_start(now, period, hour)
        if _aware(oldest) <= moment and (last is None or _aware(last) < moment):
            due.append((user_id, period, moment))
    return due


def _aware(moment: datetime) -> datetime:
    """Aggregates may lose the column type on some drivers: read naive values as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def send_digests(now: datetime | None = None) -> int:
    """Queue every digest that is due at `now`, each recipient in its own transaction: one
    that fails is logged and retried on a later round, the others go out. Returns how many
    emails were queued."""
    now = now or utcnow()
    queued = 0
    for user_id, period, due in due_digests(now):
        try:
            queued += send_digest(user_id, period, due, now)
        except Exception:  # noqa: BLE001 — one recipient's fault must not stop the others
            log.exception("digest (%s) for user %d failed; it is retried on a later round",
                          period, user_id)
    return queued


@transactional
def send_digest(user_id: int, period: str, due: datetime, now: datetime) -> int:
    """Queue one user's digest of one period with what was already waiting at the due
    moment (what arrives later waits for the next period, so a daily digest never turns
    into an immediate email). Returns 1 when a digest was queued."""
    items = db.session.execute(
        select(Notification, NotificationSettings, Space, Thread.kind)
        .join(Membership, Membership.id == Notification.membership_id)
        .join(Space, Space.id == Notification.space_id)
        .outerjoin(NotificationSettings, NotificationSettings.membership_id == Membership.id)
        .outerjoin(Thread, Thread.id == Notification.thread_id)
        .where(Notification.user_id == user_id, *_waiting(now), _mode() == period,
               Notification.created_at <= due)
        .order_by(Notification.id)).all()
    # Claim the rows: with several workers running, only the one whose UPDATE marks a row
    # counts it, so no notification lands in two digests.
    claimed = set(db.session.scalars(
        update(Notification)
        .where(Notification.id.in_([n.id for n, *_ in items]), Notification.mailed_at.is_(None))
        .values(mailed_at=now).returning(Notification.id)
        .execution_options(synchronize_session=False))) if items else set()
    items = [item for item in items if item[0].id in claimed]
    if not items:
        return 0
    user = db.session.get(User, user_id)
    counts: dict[int, Counter] = defaultdict(Counter)
    spaces: dict[int, tuple] = {}
    for notification, settings, space, thread_kind in items:
        key = thread_kind if notification.kind == SEED_CONTENT and thread_kind else notification.kind
        counts[space.id][key] += 1
        spaces[space.id] = (space, settings or NotificationSettings.defaults(notification.membership_id))
    with force_locale(user.locale):
        summary = [(space_label(*spaces[sid]), dict(counter)) for sid, counter in counts.items()]
    unsubscribe = external_url("notify.unsubscribe", token=unsubscribe_token(None, "digest", user.id))
    enqueue(Mail(to=user.email, template="digest", locale=user.locale,
                 headers=unsubscribe_headers(unsubscribe),
                 context=dict(period=period, summary=summary, link=external_url("notify.index"),
                              unsubscribe=unsubscribe, settings=external_url("notify.settings"))))
    upsert(DigestRun, keys={"user_id": user_id, "period": period},
           values={"last_sent_at": now}, replace=("last_sent_at",))
    return 1
