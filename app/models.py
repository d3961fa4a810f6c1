"""Imports every model module so the metadata (and Alembic) sees all tables."""
from app.accounts.models import LoginFailure, PasswordReset, User  # noqa: F401
from app.accounts.security_models import (  # noqa: F401
    EmailChange, RecoveryCode, TwoFactor, UserSession,
)
from app.audit.models import AuditEvent  # noqa: F401
from app.exports.models import DataExport  # noqa: F401
from app.health import HealthProbe  # noqa: F401
from app.evaluation.models import Answer, Question, Questionnaire, Recipient  # noqa: F401
from app.intake.models import IntakePage, Registration  # noqa: F401
from app.library.models import LibraryCategory, LibraryItem  # noqa: F401
from app.line.models import LineConversation, LineMessage, LineRead  # noqa: F401
from app.forum.models import Post, PostRevision, Reaction, ReadState, Thread  # noqa: F401
from app.forum.seed_models import AssignmentDue, StatementChoice, StatementPosition  # noqa: F401
from app.meetings.models import Attendance, AwayPeriod, Meeting, MeetingSeries  # noqa: F401
from app.meetings.feed_models import CalendarFeed  # noqa: F401
from app.moderation.models import (  # noqa: F401
    Flag, MemberNotice, ModerationCase, ModerationLog,
)
from app.notes.models import MemberNote, NoteAccess  # noqa: F401
from app.notify.models import DigestRun, Notification, NotificationSettings  # noqa: F401
from app.notify.outbox import OutboxMessage  # noqa: F401
from app.retention.models import RentalWarning  # noqa: F401
from app.spaces.departure_models import Departure  # noqa: F401
from app.spaces.models import (  # noqa: F401
    Agreement, AgreementAcceptance, Invitation, Membership, Space,
)
from app.uploads.models import Upload  # noqa: F401
