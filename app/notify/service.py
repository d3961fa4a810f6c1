"""Queueing mail: render the email templates in the recipient's language and write an outbox
row inside the caller's transaction. Nothing here talks SMTP."""
from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from app.extensions import db
from app.notify.models import OutboxMessage


def queue_mail(*, to: str, template: str, locale: str = "nl", **context) -> OutboxMessage:
    """`template` names templates/email/<template>.{subject,txt,html}. Callers pass no post
    text, titles written by members or member names: emails must reveal nothing."""
    with force_locale(locale):
        subject = render_template(f"email/{template}.subject.txt", **context).strip()
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
    message = OutboxMessage(to_addr=to, subject=subject, body_text=text, body_html=html)
    db.session.add(message)
    return message


def pending_mail() -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            db.select(OutboxMessage)
            .where(OutboxMessage.status == "pending")
            .order_by(OutboxMessage.id)
        )
    )
