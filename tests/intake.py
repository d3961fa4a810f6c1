"""Helpers for the intake tests: open a space's interest page, register on it over HTTP, find
the confirmation link in the real mail, and confirm."""
from __future__ import annotations

import re
from itertools import count

from sqlalchemy import select

from app.extensions import db
from app.intake.models import Registration
from tests.conftest import csrf_token
from tests.mail import run_deliver, text_part

QUESTIONS = ["Wat hoop je in de groep te vinden?", "Heb je eerder in een groep gezeten?"]
INTRODUCTION = "Een groep voor mensen die **rouwen** om een dierbare.\n\n- acht avonden\n- kleine groep"
RHYTHM = "Elke dinsdagavond van 19:30 tot 21:00"
LINK = re.compile(r"http://kring\.test(/aanmelden/bevestigen/[A-Za-z0-9_\-]+)")
_ips = count(1)


def open_interest_page(world, slug: str, lead, *, introduction: str = INTRODUCTION,
                       questions=QUESTIONS, is_open: bool = True) -> str:
    """Open the space's interest page through the service; returns the public key."""
    from app.intake import setup

    with world.ctx():
        page = setup.save_intake_page(world.actor(lead.user_id), world.space_obj(slug),
                                      is_open=is_open, introduction=introduction, rhythm=RHYTHM,
                                      questions="\n".join(questions), decline_message="")
        return page.public_key


def fresh_ip() -> str:
    return f"192.0.2.{next(_ips) % 250 + 1}"


def post_registration(client, key: str, *, name="Sam", email="sam@example.org",
                      answers=("Rust en herkenning", "Nee"), website="", ip=None):
    token = csrf_token(client, f"/aanmelden/{key}")
    data = {"csrf_token": token, "name": name, "email": email, "website": website}
    for n, answer in enumerate(answers):
        data[f"answer_{n}"] = answer
    return client.post(f"/aanmelden/{key}", data=data,
                       environ_overrides={"REMOTE_ADDR": ip or fresh_ip()})


def registrations(app, **where) -> list[Registration]:
    with app.app_context():
        found = list(db.session.scalars(select(Registration).filter_by(**where)
                                        .order_by(Registration.id)))
        db.session.expunge_all()
        return found


def confirmation_path(app, inbox, address: str) -> str:
    """Deliver the outbox through the real SMTP server and read the link from the newest mail
    to `address`."""
    run_deliver(app)
    mails = inbox.to(address)
    assert mails, f"no mail to {address}"
    match = LINK.search(text_part(mails[-1].message))
    assert match, text_part(mails[-1].message)
    return match.group(1)


def confirm(client, path: str):
    return client.post(path, data={"csrf_token": csrf_token(client, path)})


def registered_and_confirmed(app, client, inbox, key: str, *, name="Sam",
                             email="sam@example.org", answers=("Rust", "Nee")) -> int:
    assert post_registration(client, key, name=name, email=email,
                             answers=answers).status_code == 302
    response = confirm(client, confirmation_path(app, inbox, email))
    assert response.status_code == 200
    return registrations(app, email=email)[-1].id
