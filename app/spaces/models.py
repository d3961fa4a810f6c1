"""Space rows: the rented group space, who is in it with which role, invitations and the
versioned working agreement."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Date, ForeignKey, Index, String, Text, UniqueConstraint, and_, case, literal, or_, text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.spaces.names import NAME_KEY_MAX, name_key

# Roles in a space, lowest to highest. Their permissions live in app/policy.py.
MEMBER = "member"
MODERATOR = "moderator"
COFACILITATOR = "cofacilitator"
FACILITATOR = "facilitator"
ROLES = (MEMBER, MODERATOR, COFACILITATOR, FACILITATOR)

# Where a space stands in its rental period. The end date is the last rental day: from the
# day after, the space is read-only for everyone.
# Group forms (app/meetings): a closed group runs a fixed programme of sessions; an open group
# runs on, members joining and leaving.
OPEN_GROUP = "open"
CLOSED_GROUP = "closed"
GROUP_KINDS = (OPEN_GROUP, CLOSED_GROUP)

NOT_STARTED = "not_started"
OPEN = "open"
ENDED = "ended"
RENTAL_STATES = (NOT_STARTED, OPEN, ENDED)


class Space(db.Model):
    __tablename__ = "spaces"
    __table_args__ = ({"sqlite_autoincrement": True},)  # ids in links are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    theme: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(String(500), default="")
    renter: Mapped[str] = mapped_column(String(200))
    rental_start: Mapped[date] = mapped_column(Date)
    rental_end: Mapped[date] = mapped_column(Date)
    seat_limit: Mapped[int]
    members_can_start_threads: Mapped[bool] = mapped_column(default=True)
    # The current agreement version; members whose accepted version is lower are asked again.
    agreement_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Hide a post automatically once this many different members flag it for a rule reason
    # (0: never). Kept in step with app/moderation/models.py DEFAULT_AUTO_HIDE.
    auto_hide_threshold: Mapped[int] = mapped_column(default=3)
    # Open moderation cases, kept by the moderation services: the badge in the space menu
    # reads it from the space loaded with the actor, without a query of its own.
    open_case_count: Mapped[int] = mapped_column(default=0)
    # The rhythm of the group (app/meetings and the other parts of issue 10).
    group_kind: Mapped[str] = mapped_column(String(10), default=OPEN_GROUP)
    planned_sessions: Mapped[int | None]  # a closed group's number of sessions
    # Facilitators are warned below the minimum and at the maximum group size.
    min_members: Mapped[int] = mapped_column(default=4)
    max_members: Mapped[int] = mapped_column(default=8)
    # How long before a meeting's start members see its video-room link.
    room_link_minutes: Mapped[int] = mapped_column(default=15)
    # Whether co-facilitators read the facilitators' line and the participation overview.
    line_for_cofacilitators: Mapped[bool] = mapped_column(default=False)
    overview_for_cofacilitators: Mapped[bool] = mapped_column(default=False)
    # The overview marks a member "silent since N days" after this many days without a post.
    silent_after_days: Mapped[int] = mapped_column(default=10)

    def rental_state(self, today: date) -> str:
        """NOT_STARTED, OPEN or ENDED on `today` (a local date, see Actor.today)."""
        if today < self.rental_start:
            return NOT_STARTED
        return OPEN if today <= self.rental_end else ENDED

    @property
    def closed_since(self) -> date:
        """The first day the space is read-only."""
        return self.rental_end + timedelta(days=1)


class Membership(db.Model):
    """A person in a space. Kept (with `ended_at`) after leaving or removal so their posts keep
    the display name the group knew them by."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("space_id", "user_id"),
        # The database, not only the code, keeps look-alike names apart among active members:
        # of two concurrent joins or renames to "Marieke" and "Mariëke" only one commits.
        Index("uq_memberships_active_name_key", "space_id", "name_key", unique=True,
              sqlite_where=text("ended_at IS NULL"), postgresql_where=text("ended_at IS NULL")),
        {"sqlite_autoincrement": True},  # ids in links are never reused
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=MEMBER)
    display_name: Mapped[str] = mapped_column(String(60))
    # The display name's comparison key (app/spaces/names.py), kept in step by _set_name_key.
    name_key: Mapped[str] = mapped_column(String(NAME_KEY_MAX))
    agreement_version: Mapped[int] = mapped_column(default=0)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # None with suspended_at set means suspended until further notice.
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The number of meetings the member agreed to attend at least (None: no agreement).
    commitment_sessions: Mapped[int | None]
    # An open group's member who finishes: the last day of their membership (local).
    leaves_on: Mapped[date | None] = mapped_column(Date)
    # The last day (local) the member opened the space: day precision on purpose.
    last_seen_on: Mapped[date | None] = mapped_column(Date)
    # The member's choice for after leaving: their posts show "oud-deelnemer" instead of
    # their name (app/spaces/departures.py). Applies once the membership has ended.
    anonymous_after_leaving: Mapped[bool] = mapped_column(default=False)

    space: Mapped[Space] = relationship(lazy="raise_on_sql")

    @validates("display_name")
    def _set_name_key(self, _key, value: str) -> str:
        self.name_key = name_key(value)
        return value

    @classmethod
    def usable_at(cls, now: datetime):
        """SQL: still in the group and not suspended at `now` (the twin of is_suspended)."""
        return and_(cls.ended_at.is_(None),
                    or_(cls.suspended_at.is_(None),
                        and_(cls.suspended_until.is_not(None), cls.suspended_until <= now)))

    def is_suspended(self, now: datetime) -> bool:
        if self.suspended_at is None:
            return False
        return self.suspended_until is None or self.suspended_until > now

    @property
    def is_anonymised(self) -> bool:
        return self.ended_at is not None and self.anonymous_after_leaving

    @property
    def shown_name(self) -> str:
        """The name the group sees on this member's posts, reactions and material: the
        display name, or "oud-deelnemer" for someone who left and asked for it. Every page
        shows authors through this or its SQL twin `shown_name_of`."""
        return str(FORMER_MEMBER) if self.is_anonymised else self.display_name


# How a member who left and chose anonymity is shown everywhere.
FORMER_MEMBER = _l("former member")


def shown_name_of(member=Membership):
    """SQL: Membership.shown_name for queries that select a name column (pass an alias of
    Membership where the query has several)."""
    return case((and_(member.ended_at.is_not(None), member.anonymous_after_leaving.is_(True)),
                 literal(str(FORMER_MEMBER))), else_=member.display_name)


class Invitation(db.Model):
    __tablename__ = "invitations"
    __table_args__ = ({"sqlite_autoincrement": True},)  # ids in links are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20), default=MEMBER)
    # Only the SHA-256 of the token is stored; the link itself exists in the email (the outbox
    # drops a message's body once it is sent) and once on the facilitator's screen.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def is_open(self, now: datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


class Agreement(db.Model):
    __tablename__ = "agreements"
    __table_args__ = (UniqueConstraint("space_id", "version"), {"sqlite_autoincrement": True})  # ids in links are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class AgreementAcceptance(db.Model):
    """Who accepted which agreement version, and when."""

    __tablename__ = "agreement_acceptances"
    __table_args__ = (UniqueConstraint("membership_id", "agreement_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
