"""Registering on a public interest page (no login): throttled per client address, a
honeypot, one unconfirmed registration per address, and a confirmation mail whose link makes
the registration count. Every path answers the same, so nothing tells whether an address is
already known or a member."""
from __future__ import annotations

import json
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from app.accounts.models import LoginFailure, User
from app.accounts.service import TooManyAttempts, normalise_email
from app.database import DOUBLE_SUBMIT_WINDOW, lock_row, transactional, utcnow
from app.email_address import is_valid_email
from app.errors import NotFound, ServiceError
from app.extensions import db
from app.intake.models import ANSWER_MAX, DECIDED, NAME_MAX, IntakePage, Registration
from app.intake.notices import on_confirmed
from app.intake.queries import open_page
from app.notify.outbox import Mail, enqueue
from app.spaces.models import Membership, Space
from app.text import clean_line, clean_text
from app.tokens import hash_token, new_token
from app.urls import external_url

_KEY = "intake-ip:"


class LinkExpired(ServiceError):
    """The confirmation link expired or was used already."""


def _throttle(client_ip: str) -> None:
    """At most INTAKE_PER_HOUR_PER_ADDRESS registrations an hour from one client address, in
    the table the login throttling uses (so the limit holds across server processes)."""
    now = utcnow()
    key = f"{_KEY}{client_ip}"[:80]
    recent = db.session.scalar(select(func.count()).select_from(LoginFailure).where(
        LoginFailure.key == key, LoginFailure.at > now - timedelta(hours=1)))
    if recent >= current_app.config["INTAKE_PER_HOUR_PER_ADDRESS"]:
        raise TooManyAttempts(_("You have sent several registrations from this address in a "
                                "short time. Wait an hour and try again; your text is still "
                                "in the form."), retry_after=3600)
    db.session.add(LoginFailure(key=key, at=now))
    db.session.execute(delete(LoginFailure).where(LoginFailure.key.like(f"{_KEY}%"),
                                                  LoginFailure.at < now - timedelta(hours=1)))


def _clean_answers(page: IntakePage, answers: list[str]) -> str:
    questions = page.question_list
    answers = list(answers) + [""] * (len(questions) - len(answers))
    pairs = [[question, clean_text(answer or "", f"answer_{n}", ANSWER_MAX)]
             for n, (question, answer) in enumerate(zip(questions, answers))]
    return json.dumps(pairs, ensure_ascii=False)


def _is_member(space_id: int, email: str) -> bool:
    return db.session.scalar(select(Membership.id).join(User, User.id == Membership.user_id)
                             .where(Membership.space_id == space_id,
                                    Membership.ended_at.is_(None), User.email == email)) is not None


@transactional
def register(key: str, *, name: str, email: str, answers: list[str], client_ip: str,
             trap: str = "") -> None:
    """Register for the space behind `key`. Returns nothing on purpose: a trapped robot, a
    member, someone already registered and a newcomer all get the same answer; only the
    newcomer (or someone whose earlier link expired) gets a confirmation mail."""
    opened = open_page(key)
    if opened is None:
        raise NotFound()
    page, _space = opened
    _throttle(client_ip)
    if trap:
        return  # a robot filled in the hidden field: it is told what everyone is told
    name = clean_line(name or "", "name", NAME_MAX, required=True)
    email = normalise_email(email or "")
    if not is_valid_email(email):
        raise ServiceError(_("Enter a valid email address."), "email")
    stored_answers = _clean_answers(page, answers)
    # Under the page's row lock: a twin submit waits here and then finds the first.
    lock_row(IntakePage.is_open, page.id)
    if _is_member(page.space_id, email):
        return
    now = utcnow()
    earlier = db.session.scalars(select(Registration).where(
        Registration.space_id == page.space_id, Registration.email == email,
        Registration.status.not_in(DECIDED))).all()
    if any(r.confirmed_at is not None for r in earlier):
        return  # already registered: the facilitators have it
    waiting = next((r for r in earlier if r.confirmed_at is None), None)
    if waiting is not None and waiting.confirm_by > now \
            and waiting.mailed_at > now - DOUBLE_SUBMIT_WINDOW:
        return  # the same form sent twice: the first mail's link stays the one that works
    raw, token_hash = new_token()
    hours = current_app.config["INTAKE_CONFIRM_HOURS"]
    registration = waiting or Registration(space_id=page.space_id, email=email, created_at=now)
    registration.name, registration.answers = name, stored_answers
    registration.token_hash, registration.mailed_at = token_hash, now
    registration.confirm_by = now + timedelta(hours=hours)
    db.session.add(registration)
    # Content-free: neither the group nor the answers; the link says the rest.
    enqueue(Mail(to=email, template="intake_confirm",
                 context=dict(link=external_url("interest.confirm", token=raw), hours=hours)))


def expired_link() -> str:
    return _("This link has expired. Register again on the page where you registered.")


def open_confirmation(token: str) -> Registration | None:
    """The registration behind a confirmation link while the link works (confirmed or not:
    the link shows the thanks again rather than an error after a double click)."""
    registration = db.session.scalar(select(Registration).where(
        Registration.token_hash == hash_token(token)))
    if registration is None or registration.confirm_by <= utcnow():
        return None
    return registration


@transactional
def confirm_registration(token: str) -> Registration:
    """The link from the mail was followed: the registration counts from now on, and the
    facilitators hear that there is a new one. Claimed with one conditional UPDATE, so a
    double click confirms (and notifies) once; the second click finds it confirmed."""
    registration = open_confirmation(token)
    if registration is None:
        raise LinkExpired(expired_link())
    now = utcnow()
    claimed = db.session.execute(
        update(Registration).where(Registration.id == registration.id,
                                   Registration.confirmed_at.is_(None),
                                   Registration.confirm_by > now)
        .values(confirmed_at=now, status_changed_at=now)
        .execution_options(synchronize_session=False)).rowcount
    db.session.refresh(registration)
    if claimed == 1:
        on_confirmed(db.session.get(Space, registration.space_id), registration)
    elif registration.confirmed_at is None:
        raise LinkExpired(expired_link())
    return registration
