"""Notification use cases: notify the recipients a part chose (forum, spaces), the in-app
read state, preferences, and content-free email through the outbox. Nothing here talks
SMTP; app/mailer.py drains the outbox."""
from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import bindparam, insert, select, update

from app import policy
from app.accounts.models import User
from app.database import transactional, utcnow
from app.errors import NotFound, ServiceError
from app.extensions import db
from app.notify.kinds import CATEGORY_OF, offered_categories
from app.notify.models import (
    CATEGORIES, DEFAULT_MODES, DIRECT, MODES, NEVER, Notification, NotificationSettings,
)
from app.notify.outbox import Mail, enqueue
from app.policy import Actor
from app.spaces.queries import membership_ids_of_user
from app.urls import external_url


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="kring-unsubscribe")


def unsubscribe_token(membership_id: int | None, category: str, user_id: int) -> str:
    return _serializer().dumps([user_id, membership_id, category])


def unsubscribe_headers(link: str) -> str:
    return f"List-Unsubscribe: <{link}>\nList-Unsubscribe-Post: List-Unsubscribe=One-Click"


def space_label(space, settings: NotificationSettings | None) -> str:
    if settings is None or settings.neutral_label:
        return _("your group")
    return space.name


# --- preferences ---------------------------------------------------------------------------


# Built once: every reply runs them (issue 12).
_SETTINGS = select(NotificationSettings).where(
    NotificationSettings.membership_id.in_(bindparam("ids", expanding=True)))
_ACCOUNTS = select(User.id, User.email, User.locale).where(
    User.id.in_(bindparam("ids", expanding=True)))
# The stored settings as plain rows, for reading only (notify): loading them as objects cost
# more than the statement.
_MODES = select(NotificationSettings.__table__).where(
    NotificationSettings.__table__.c.membership_id.in_(bindparam("ids", expanding=True)))


def settings_for(membership_ids: list[int]) -> dict[int, NotificationSettings]:
    """Stored settings, or unsaved defaults, for each membership (one query)."""
    stored = {s.membership_id: s for s in db.session.scalars(
        _SETTINGS, {"ids": list(membership_ids)})} if membership_ids else {}
    return {mid: stored.get(mid) or NotificationSettings.defaults(mid) for mid in membership_ids}


@transactional
def save_settings(actor: Actor, space, *, modes: dict[str, str], digest_hour: int,
                  neutral_label: bool) -> NotificationSettings:
    if not policy.can_view_space(actor, space):
        raise NotFound()
    # Every offered category needs a mode; a category without kinds yet (a column waiting for
    # its part) is not offered, and a mode given for it is not stored.
    offered = offered_categories()
    if not set(offered) <= set(modes) <= set(CATEGORIES) or any(
            modes[c] not in MODES for c in offered):
        raise ServiceError(_("Choose one of the offered options."))
    if not 0 <= digest_hour <= 23:
        raise ServiceError(_("Choose an hour between 0 and 23."), "digest_hour")
    membership = actor.membership(space.id)
    settings = db.session.get(NotificationSettings, membership.id)
    if settings is None:
        settings = NotificationSettings.defaults(membership.id, space.id)
        db.session.add(settings)
    for category in offered:
        setattr(settings, category, modes[category])
    settings.digest_hour, settings.neutral_label = digest_hour, neutral_label
    return settings


def read_unsubscribe_token(token: str):
    try:
        user_id, membership_id, category = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if category not in (*CATEGORIES, "digest"):
        return None
    return user_id, membership_id, category


@transactional
def unsubscribe(token: str) -> bool:
    """One-click unsubscribe from a signed link, no login needed. For one category of one
    space, or ("digest") from every digest."""
    parsed = read_unsubscribe_token(token)
    if parsed is None:
        return False
    user_id, membership_id, category = parsed
    memberships = {mid: space_id for mid, space_id in membership_ids_of_user(user_id)
                   if not membership_id or mid == membership_id}
    stored = settings_for(list(memberships))
    for mid, space_id in memberships.items():
        settings = stored[mid]
        if settings not in db.session:
            settings.space_id = space_id
            db.session.add(settings)
        for name in (CATEGORIES if category == "digest" else (category,)):
            if category != "digest" or getattr(settings, name) != DIRECT:
                setattr(settings, name, NEVER)
    return True


# --- creating notifications ------------------------------------------------------------------

# Of the table, not the ORM's bulk insert (a third of the time, measured in issue 12): the
# rows are never loaded as objects.
_INSERT = insert(Notification.__table__).returning(
    Notification.__table__.c.id, Notification.__table__.c.membership_id)


def notify(space, recipients, *, kind: str, thread_id: int | None = None,
           post_id: int | None = None, about_id: int | None = None,
           kinds_by_recipient: dict[int, str] | None = None, urgent: bool = False) -> int:
    """Create notifications for these memberships (Memberships, or rows with a membership's
    `id` and `user_id`) in one bulk insert, and queue a direct, content-free email for each
    whose preference for the category says so — or for all of them when `urgent` (a crisis
    flag reaching facilitators and moderators ignores every preference). Joins the caller's
    transaction, so a rolled-back change notifies nobody."""
    if not recipients:
        return 0
    now = utcnow()
    member_ids = [m.id for m in recipients]
    stored = {row.membership_id: row for row in db.session.execute(_MODES, {"ids": member_ids})}
    # Who never changed a setting has the defaults (as NotificationSettings.defaults).
    default = SimpleNamespace(**DEFAULT_MODES, neutral_label=True)
    settings = {mid: stored.get(mid, default) for mid in member_ids}
    rows, direct = [], []
    for member in recipients:
        this_kind = (kinds_by_recipient or {}).get(member.id, kind)
        if this_kind not in CATEGORY_OF:
            raise ValueError(f"notification kind {this_kind!r} is not in app/notify/kinds.py")
        mode = DIRECT if urgent else getattr(settings[member.id], CATEGORY_OF[this_kind])
        direct.append(mode == DIRECT)
        rows.append({
            "space_id": space.id, "user_id": member.user_id, "membership_id": member.id,
            "kind": this_kind, "thread_id": thread_id, "post_id": post_id,
            "about_id": about_id, "created_at": now,
            "mailed_at": now if mode in (DIRECT, NEVER) else None})
    # One multi-row INSERT … RETURNING on both databases (the ORM's add_all would insert row
    # by row on SQLite); ids come back keyed by membership, unique within one call.
    ids = dict((mid, nid) for nid, mid in db.session.execute(_INSERT, rows))
    if not any(direct):
        return len(rows)  # no mail now: the accounts are not needed
    users = {u.id: u for u in db.session.execute(
        _ACCOUNTS, {"ids": list({m.user_id for m in recipients})})}
    mails = []
    for member, row, mail_now in zip(recipients, rows, direct):
        if not mail_now:
            continue
        user = users[member.user_id]
        unsubscribe = external_url("notify.unsubscribe", token=unsubscribe_token(
            member.id, CATEGORY_OF[row["kind"]], user.id))
        with force_locale(user.locale):
            label = space_label(space, settings[member.id])
        mails.append(Mail(
            to=user.email, template="notification", locale=user.locale,
            headers=unsubscribe_headers(unsubscribe), notification_id=ids[member.id],
            context=dict(kind=row["kind"], label=label,
                         link=external_url("notify.open", notification_id=ids[member.id]),
                         unsubscribe=unsubscribe, settings=external_url("notify.settings"))))
    enqueue(*mails)
    return len(rows)


def forget_post(post_id: int) -> None:
    """Notifications about a deleted (or hidden) post disappear."""
    db.session.execute(Notification.__table__.delete().where(Notification.post_id == post_id))


def mark_posts_read(membership_id: int, thread_id: int, post_ids, **params) -> None:
    """The member has seen these posts: their notifications about them are read. `post_ids`
    is a SELECT of ids the forum builds once; `params` bind its parameters (named unlike
    the columns of notifications, which an UPDATE reserves)."""
    db.session.execute(_mark_posts_read(post_ids), {
        "reader": membership_id, "in_thread": thread_id, "seen_at": utcnow(), **params})


@lru_cache(maxsize=8)
def _mark_posts_read(post_ids):
    # Built once per SELECT of ids (the forum has one): a reply runs it every time (issue 12).
    # No notification is loaded where this runs, so the table's statement needs no ORM sync.
    # The member's unread notifications in the thread come first (their index), and each is
    # checked against the SELECT by its own post id: an IN (SELECT ...) would list every
    # post of a long thread first.
    table = Notification.__table__
    seen = post_ids.where(post_ids.selected_columns[0] == table.c.post_id).exists()
    return (update(table).where(
        table.c.membership_id == bindparam("reader"),
        table.c.thread_id == bindparam("in_thread"), table.c.read_at.is_(None), seen)
        .values(read_at=bindparam("seen_at")))


@transactional
def mark_opened(actor: Actor, notification: Notification) -> None:
    """Opening a notification marks it read (bookkeeping of the reader's own state). Written
    with a statement, so it can run best-effort in a session of its own."""
    if notification.user_id == actor.user.id and notification.read_at is None:
        db.session.execute(update(Notification).where(
            Notification.id == notification.id, Notification.read_at.is_(None))
            .values(read_at=utcnow()))


@transactional
def mark_all_read(actor: Actor) -> int:
    return db.session.execute(
        update(Notification).where(Notification.user_id == actor.user.id,
                                   Notification.read_at.is_(None))
        .values(read_at=utcnow())).rowcount
