"""The parts of a member's export about the group's rhythm and around it: absences, periods
away, their own line messages, interest registrations, questionnaire answers, the calendar
feed and sessions. One query per kind; see app/exports/personal.py for what is left out."""
from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.security_models import UserSession
from app.evaluation.models import Answer, Question, Questionnaire, Recipient
from app.exports.rows import iso
from app.extensions import db
from app.intake.models import Registration
from app.line.models import LineMessage
from app.meetings.feed_models import CalendarFeed
from app.meetings.models import Attendance, AwayPeriod, Meeting
from app.spaces.models import Space


def gather_rhythm(user, own, group: dict[int, str]) -> dict:
    """`own`: a SELECT of the user's membership ids; `group`: membership id → group name."""
    data: dict = {}
    data["absences"] = [{
        "group": group[a.membership_id], "meeting_start": iso(starts_at),
        "cancelled": iso(a.cancelled_at), "reason": a.reason or None,
        "recorded_attendance": a.outcome, "recorded": iso(a.recorded_at)}
        for a, starts_at in db.session.execute(
            select(Attendance, Meeting.starts_at).join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Attendance.membership_id.in_(own),
                   (Attendance.cancelled_at.is_not(None)) | (Attendance.outcome.is_not(None)))
            .order_by(Meeting.starts_at))]
    data["periods_away"] = [{
        "group": group[p.membership_id], "first_day": iso(p.first_day),
        "last_day": iso(p.last_day), "reason": p.reason or None, "created": iso(p.created_at)}
        for p in db.session.scalars(select(AwayPeriod).where(AwayPeriod.membership_id.in_(own))
                                    .order_by(AwayPeriod.first_day))]
    data["line_messages"] = [{
        "group": group[m.author_id], "sent": iso(m.created_at), "text": m.body}
        for m in db.session.scalars(select(LineMessage).where(LineMessage.author_id.in_(own))
                                    .order_by(LineMessage.created_at, LineMessage.id))]
    data["registrations"] = [{
        "group": name, "name": r.name, "email": r.email, "status": r.status,
        "answers": [{"question": q, "answer": a} for q, a in r.answer_pairs],
        "created": iso(r.created_at), "confirmed": iso(r.confirmed_at),
        "decided": iso(r.decided_at), "answers_deleted": iso(r.answers_deleted_at)}
        for r, name in db.session.execute(
            select(Registration, Space.name).join(Space, Space.id == Registration.space_id)
            .where(func.lower(Registration.email) == user.email.lower())
            .order_by(Registration.created_at))]
    answers: dict[int, dict] = {}
    for answer, question, title, recipient in db.session.execute(
            select(Answer, Question, Questionnaire.title, Recipient)
            .join(Recipient, Recipient.id == Answer.recipient_id)
            .join(Question, Question.id == Answer.question_id)
            .join(Questionnaire, Questionnaire.id == Question.questionnaire_id)
            .where(Recipient.membership_id.in_(own))
            .order_by(Recipient.id, Question.position)):
        entry = answers.setdefault(recipient.id, {
            "group": group[recipient.membership_id], "questionnaire": title,
            "answered": iso(recipient.answered_at), "answers": []})
        entry["answers"].append({"question": question.prompt, "answer": answer.text or None,
                                 "score": answer.score})
    data["questionnaire_answers"] = list(answers.values())
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    data["calendar_feed"] = ({"exists": True, "created": iso(feed.created_at),
                              "neutral_titles": feed.neutral_titles}
                             if feed else {"exists": False})
    data["sessions"] = [{
        "device": s.device, "network": s.ip_prefix, "started": iso(s.created_at),
        "last_seen": iso(s.last_seen_at), "ended": iso(s.ended_at)}
        for s in db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)
                                    .order_by(UserSession.created_at))]
    return data
