"""Daily and weekly digests: one content-free email per member per period with counts per
space, computed by the worker on schedule; nothing is sent when there is nothing new."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select, update

from app.accounts.models import User
from app.database import transactional, utcnow
from app.extensions import db
from app.forum.models import Thread
from app.notify.kinds import CATEGORY_OF, SEED_CONTENT
from app.notify.models import DAILY, WEEKLY, DigestRun, Notification, NotificationSettings
from app.notify.service import queue_mail, space_label, unsubscribe_headers, unsubscribe_token
from app.spaces.models import Membership, Space
from app.upsert import upsert
from app.urls import external_url

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


def _pending(now: datetime):
    """Unmailed, unread notifications from spaces the recipient may still read, with their
    delivery settings (deleted posts took their notifications with them)."""
    return db.session.execute(
        select(Notification, NotificationSettings, Space, Thread.kind)
        .join(Membership, Membership.id == Notification.membership_id)
        .join(Space, Space.id == Notification.space_id)
        .outerjoin(NotificationSettings, NotificationSettings.membership_id == Membership.id)
        .outerjoin(Thread, Thread.id == Notification.thread_id)
        .where(Notification.mailed_at.is_(None), Notification.read_at.is_(None),
               Membership.usable_at(now))
        .order_by(Notification.user_id, Notification.id)).all()


@transactional
def send_digests(now: datetime | None = None) -> int:
    """Queue every digest that is due at `now`. Returns how many emails were queued."""
    now = now or utcnow()
    groups: dict[tuple[int, str], list] = defaultdict(list)
    for notification, settings, space, thread_kind in _pending(now):
        settings = settings or NotificationSettings.defaults(notification.membership_id)
        mode = getattr(settings, CATEGORY_OF[notification.kind])
        if mode in (DAILY, WEEKLY):
            groups[(notification.user_id, mode)].append((notification, settings, space, thread_kind))
    if not groups:
        return 0
    runs = {(r.user_id, r.period): r.last_sent_at for r in db.session.scalars(
        select(DigestRun).where(DigestRun.user_id.in_({uid for uid, _p in groups})))}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_({uid for uid, _p in groups})))}
    queued = 0
    for (user_id, period), items in groups.items():
        # One digest per user and period, at the earliest hour any of their spaces asks for.
        due = _period_start(now, period, min(s.digest_hour for _n, s, _sp, _k in items))
        last = runs.get((user_id, period))
        # Send only what was already waiting at the due moment: what arrives later waits for
        # the next period, so a daily digest never turns into an immediate email.
        items = [item for item in items if item[0].created_at <= due]
        if not items or (last is not None and last >= due):
            continue
        # Claim the rows: with several workers running, only the one whose UPDATE marks a row
        # counts it, so no notification lands in two digests.
        claimed = set(db.session.scalars(
            update(Notification)
            .where(Notification.id.in_([n.id for n, *_ in items]), Notification.mailed_at.is_(None))
            .values(mailed_at=now).returning(Notification.id)
            .execution_options(synchronize_session=False)))
        items = [item for item in items if item[0].id in claimed]
        if not items:
            continue
        user = users[user_id]
        counts: dict[int, Counter] = defaultdict(Counter)
        spaces: dict[int, tuple] = {}
        for notification, settings, space, thread_kind in items:
            key = thread_kind if notification.kind == SEED_CONTENT and thread_kind else notification.kind
            counts[space.id][key] += 1
            spaces[space.id] = (space, settings)
        with force_locale(user.locale):
            summary = [(space_label(*spaces[sid]), dict(counter)) for sid, counter in counts.items()]
        unsubscribe = external_url("notify.unsubscribe",
                                   token=unsubscribe_token(None, "digest", user.id))
        queue_mail(to=user.email, template="digest", locale=user.locale,
                   headers=unsubscribe_headers(unsubscribe), period=period, summary=summary,
                   link=external_url("notify.index"), unsubscribe=unsubscribe,
                   settings=external_url("notify.settings"))
        upsert(DigestRun, keys={"user_id": user_id, "period": period},
               values={"last_sent_at": now}, replace=("last_sent_at",))
        queued += 1
    return queued
