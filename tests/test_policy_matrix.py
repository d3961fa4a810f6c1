"""The permission matrix over real HTTP: every (role × action) pair is one request against a
fresh space, checked by status code and by what happened in the database. The expected table
below is written out by hand from app/policy.py PERMISSIONS and the rules around it, so a
change in who may do what shows up here as a failing pair. Two more columns: the same pairs
in a space whose rental has ended (read-only) and in one whose rental has not started."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Callable

import pytest
from sqlalchemy import select

from app import policy
from app.extensions import db
from app.forum import service as forum
from app.forum.models import Post, Reaction, Thread
from app.library.models import LibraryCategory
from app.moderation.models import Flag, ModerationCase
from app.spaces import members
from app.spaces.models import Invitation, Membership, Space
from tests.conftest import Person, csrf_token, login

ROLES = ("operator", "nonmember", "suspended", "member", "moderator", "cofacilitator",
         "facilitator")

# --- the expected table: role → the actions it may perform ----------------------------------

# What every active member of the group may do (PERMISSIONS rows that are _IN_GROUP).
IN_GROUP = {
    "view_home", "view_thread", "view_members", "view_file",
    "start_discussion",
    "reply", "react", "take_position",
    "edit_own_post", "delete_own_post", "edit_own_title",
    "change_own_name", "choose_name_after_leaving",
    "leave_space",
    "flag_post", "withdraw_flag",
    "view_library", "add_material",
    "search_space",
    "view_meetings", "view_meeting",
    "view_evaluations",
    # Absence (issue 10): cancelling and periods away for oneself, one's own record.
    "send_absence", "mark_away", "view_own_attendance",
}
# Moderators add closed threads: replying in them and closing/reopening them; the flags:
# the queue, claims, resolutions, and suspending a plain member as an outcome; and taking
# things down without a flag: hiding someone's post or a whole conversation, renaming a thread.
MODERATION = {"reply_locked", "lock_thread", "view_queue", "open_case", "claim_flag",
              "release_flag", "resolve_flag", "suspend_member", "edit_other_title",
              "hide_other_post", "hide_thread"}
# The group's leads (cofacilitator, facilitator) seed content and pin.
LEADING = {"start_announcement", "start_assignment", "start_statement", "pin_thread",
           "add_leads_material", "edit_other_material", "add_library_category",
           "edit_due_date"}
# Only facilitators run the group itself.
RUNNING = {
    "invite", "revoke_invitation",
    "change_role", "unsuspend_member", "remove_member", "view_moderation_log",
    "edit_agreement", "edit_settings",
    "erase_other_post",
    "plan_meeting", "edit_meeting", "cancel_meeting",
    # Evaluation and the private notes per member (issue 10): the facilitators alone.
    "send_evaluation", "read_evaluation_answers", "view_notes", "write_note",
    # Attendance (issue 10): who cancelled and why, the record, commitments.
    "view_attendance", "record_attendance", "set_commitment",
    # The participation overview: PERMISSIONS gives it to the leads, but co-facilitators
    # only where the space allows it (off by default, as in this scene), so it has no row
    # in PERMISSION_OF; tests/test_overview.py covers the setting.
    "view_overview",
    "plan_departure", "withdraw_departure",
    # The space's audit trail and its CSV (issue 11): the facilitators alone.
    "view_audit", "export_audit",
    # Intake (issue 10): the interest page and the registrations list.
    "view_registrations", "view_registration", "setup_intake", "plan_intake",
    "admit_registration", "decline_registration",
    # Trust (issue 11): a copy of the whole space, also after the rental ends.
    "export_space",
}

# The facilitators' line (issue 10): members and moderators each have a line of their own to
# the facilitators; the facilitators read and answer every member's line. Co-facilitators
# read the lines only where the space allows it (off by default, so not in this table; see
# tests/test_line_access.py). The PERMISSIONS rows open_line and read_line are narrowed by
# the rules in app/policy/line.py, hence no PERMISSION_OF entries for these actions.
OWN_LINE = {"view_line", "write_line"}
LINE_READING = {"view_line", "read_member_line", "write_member_line"}

# The platform operator's use cases on a rented space (the admin pages), walked in this order
# on one scene per role: see test_operator_actions_matrix.
ADMINISTERING = ("edit_rental", "extend_rental", "invite_first_facilitator",
                 "resend_first_invitation", "withdraw_first_invitation", "end_rental")

ALLOWED: dict[str, set[str]] = {
    # Rents out spaces but has no membership: only the admin pages, nothing inside a space.
    "operator": {"open_admin_spaces", "open_admin_audit", *ADMINISTERING},
    "nonmember": set(),
    # Suspended until further notice: locked out of everything, but may still leave.
    "suspended": {"leave_space"},
    "member": IN_GROUP | OWN_LINE,
    "moderator": IN_GROUP | MODERATION | OWN_LINE,
    "cofacilitator": IN_GROUP | MODERATION | LEADING,
    "facilitator": IN_GROUP | MODERATION | LEADING | RUNNING | LINE_READING,
}
# Nobody edits or deletes someone else's post (moderation hides posts; it does not edit them).
NOBODY = {"edit_other_post", "delete_other_post"}

# Which PERMISSIONS row each space action stands for (for the cross-check against policy.py).
PERMISSION_OF = {
    "view_home": "view_space", "view_thread": "view_space", "view_members": "view_space",
    "view_file": "view_space",
    "start_discussion": "start_discussion",
    "start_announcement": "start_seed_thread", "start_assignment": "start_seed_thread",
    "start_statement": "start_seed_thread",
    "reply": "reply", "reply_locked": "reply_locked", "react": "react",
    "take_position": "take_position", "edit_due_date": "start_seed_thread",
    "edit_own_post": "edit_own_post", "delete_own_post": "edit_own_post",
    "edit_own_title": "edit_own_post", "edit_other_title": "edit_thread_title",
    "pin_thread": "pin_thread", "lock_thread": "lock_thread",
    "invite": "invite_member", "revoke_invitation": "invite_member",
    "change_role": "manage_members", "suspend_member": "moderate",
    "unsuspend_member": "manage_members", "remove_member": "manage_members",
    "edit_agreement": "edit_agreement", "edit_settings": "edit_space",
    "change_own_name": "change_own_name",
    "leave_space": "leave_space",
    "flag_post": "flag_post", "withdraw_flag": "flag_post", "view_queue": "view_queue",
    "open_case": "view_queue", "claim_flag": "moderate", "release_flag": "moderate",
    "resolve_flag": "moderate", "view_moderation_log": "read_moderation_log",
    "hide_other_post": "moderate", "hide_thread": "moderate", "erase_other_post": "erase_post",
    "view_library": "view_space", "add_material": "add_material",
    "search_space": "view_space",
    "add_leads_material": "lead_material", "edit_other_material": "lead_material",
    "add_library_category": "lead_material",
    "view_meetings": "view_meetings", "view_meeting": "view_meetings",
    "plan_meeting": "manage_meetings", "cancel_meeting": "manage_meetings",
    "view_evaluations": "view_space", "send_evaluation": "send_evaluation",
    "read_evaluation_answers": "read_evaluation_answers",
    "view_notes": "keep_notes", "write_note": "keep_notes",
    "send_absence": "send_absence", "mark_away": "send_absence",
    "view_own_attendance": "view_meetings", "view_attendance": "view_attendance",
    "record_attendance": "record_attendance", "set_commitment": "record_attendance",
    "edit_meeting": "manage_meetings",
    "plan_departure": "plan_departure", "withdraw_departure": "plan_departure",
    "choose_name_after_leaving": "change_own_name",
    "view_registrations": "manage_intake", "view_registration": "manage_intake",
    "setup_intake": "manage_intake", "plan_intake": "manage_intake",
    "admit_registration": "manage_intake", "decline_registration": "manage_intake",
    "export_space": "export_space",
    "view_audit": "view_audit", "export_audit": "view_audit",
}

# The rental period bounds every role: after the end date a space is read-only for everyone;
# before the start date nobody enters it. Leaving the group stays possible either way.
READ_ONLY = {"view_home", "view_thread", "view_members", "view_file", "leave_space",
             "open_admin_spaces", "open_admin_audit", "view_library", "search_space",
             "view_queue", "open_case", "view_moderation_log",
             "view_meetings", "view_meeting",
             "view_evaluations", "read_evaluation_answers", "view_notes",
             "view_own_attendance", "view_attendance",
             "view_line", "read_member_line", "view_overview", "export_space", "view_audit",
             "export_audit"}
ALWAYS = {"leave_space", "open_admin_spaces", "open_admin_audit"}  # the admin pages: not in a space
ALLOWED_IN = {
    "open": ALLOWED,
    "ended": {role: actions & READ_ONLY for role, actions in ALLOWED.items()},
    "not_started": {role: actions & ALWAYS for role, actions in ALLOWED.items()},
}


def denied_status(role: str, action: str, state: str = "open") -> int:
    """The status of a refused request."""
    if action in ("open_admin_spaces", "open_admin_audit") or action in ADMINISTERING:
        return 403  # not a space URL: visible to everyone logged in, allowed to the operator
    if role in ("operator", "nonmember"):
        return 404  # the space is not confirmed to exist
    if role == "suspended":
        return 403  # told why, on the suspension page
    if state == "not_started":
        return 403  # the calm page that says when the space opens
    if action == "revoke_invitation":
        return 404  # invitations are invisible to everyone but facilitators
    if action in ("read_member_line", "write_member_line") and role in ("member", "moderator"):
        return 404  # a member never learns whether another member's line exists
    return 403


# --- one fresh scene per test ---------------------------------------------------------------

@dataclass
class Scene:
    slug: str
    space_id: int
    lead: Person
    other: Person  # a plain member whose post and membership are acted upon
    actor: Person
    thread_id: int
    first_post_id: int  # the lead's opening post
    other_post_id: int
    own_post_id: int | None = None  # the actor's own reply (roles with a membership)
    own_thread_id: int | None = None  # a thread the actor started (roles with a membership)
    locked_thread_id: int | None = None
    invitation_id: int | None = None
    case_id: int | None = None  # a flag on the other member's post
    seeded_thread_id: int | None = None  # the lead's statement or assignment


def build_scene(world, role: str) -> Scene:
    slug, lead = world.space()
    other = world.member(slug, lead, name="Ander lid")
    thread_id = world.thread(slug, lead, title="Een gesprek", body="Eerste bericht")
    other_post_id = world.reply(slug, thread_id, other, "Antwoord van een ander lid")
    own_post_id = own_thread_id = None
    if role == "operator":
        actor = world.operator
    elif role == "nonmember":
        actor = world.user()
    else:
        # The facilitator acting is a second facilitator, so leaving is not blocked by being
        # the last one.
        actor = world.member(slug, lead, role="member" if role == "suspended" else role,
                             name="Handelend lid")
        own_post_id = world.reply(slug, thread_id, actor, "Mijn eigen antwoord")
        own_thread_id = world.thread(slug, actor, title="Mijn eigen gesprek", body="Van mij")
        if role == "suspended":
            with world.ctx():
                members.suspend_member(world.actor(lead.user_id),
                                       db.session.get(Membership, actor.membership_id), until=None)
    with world.ctx():
        space_id = world.space_obj(slug).id
    return Scene(slug=slug, space_id=space_id, lead=lead, other=other, actor=actor,
                 thread_id=thread_id, first_post_id=world.first_post_id(thread_id),
                 other_post_id=other_post_id, own_post_id=own_post_id,
                 own_thread_id=own_thread_id)


def _uploaded_file(world, sc: Scene) -> None:
    """A file the lead uploaded: its address goes on the scene."""
    from app.uploads.service import store_upload
    from tests.uploadfiles import pdf, storage_of

    with world.ctx():
        upload = store_upload(world.actor(sc.lead.user_id), world.space_obj(sc.slug),
                              storage_of(pdf(), "werkblad.pdf"))
        sc.file_url = f"/s/{sc.slug}/files/{upload.id}/werkblad.pdf"


def _locked_thread(world, sc: Scene) -> None:
    thread_id = world.thread(sc.slug, sc.lead, title="Gesloten gesprek", body="Dicht")
    with world.ctx():
        forum.set_locked(world.actor(sc.lead.user_id), db.session.get(Thread, thread_id),
                         locked=True)
    sc.locked_thread_id = thread_id


def _seeded(kind: str, **extra):
    """The lead starts a statement (with its positions) or an assignment (with a due date)."""
    def setup(world, sc: Scene) -> None:
        from app.forum import seeding

        with world.ctx():
            sc.seeded_thread_id = seeding.start_thread(
                world.actor(sc.lead.user_id), _space(sc), kind=kind, title=f"Een {kind}",
                body="Van de begeleider", **extra).id
    return setup


def _chose_position(sc: Scene) -> bool:
    from app.forum.seed_models import StatementChoice

    return db.session.scalar(select(StatementChoice.id).where(
        StatementChoice.thread_id == sc.seeded_thread_id)) is not None


def _due_moved(sc: Scene) -> bool:
    from app.forum.seed_models import AssignmentDue

    due = db.session.scalar(select(AssignmentDue).where(
        AssignmentDue.thread_id == sc.seeded_thread_id))
    return due is not None and due.due_at.date() == NEXT_DUE + timedelta(days=1)


NEXT_DUE = date.today() + timedelta(days=30)


def _open_invitation(world, sc: Scene) -> None:
    world.invite_token(sc.slug, sc.lead, email="uitgenodigd@example.org")
    with world.ctx():
        sc.invitation_id = db.session.scalar(
            select(Invitation.id).where(Invitation.email == "uitgenodigd@example.org"))


def _flag_other(world, sc: Scene, *, flagger: Person | None = None) -> None:
    """The lead flags the other member's post (the actor's own flag for withdraw_flag)."""
    from app.moderation import flags as flag_service

    by = flagger or sc.lead
    with world.ctx():
        flag = flag_service.flag_post(world.actor(by.user_id), db.session.get(Post, sc.other_post_id),
                                      reason="hurtful")
        sc.case_id = flag.case_id


def _flag_by_actor(world, sc: Scene) -> None:
    """The actor's own open flag; for those who cannot flag (no membership, suspended) the
    lead's flag stands in."""
    from app.errors import Forbidden

    if sc.actor.membership_id is not None:
        try:
            return _flag_other(world, sc, flagger=sc.actor)
        except Forbidden:
            pass
    _flag_other(world, sc)


def _claimed_by_actor(world, sc: Scene) -> None:
    """A case the actor holds (the lead holds it for those who cannot claim)."""
    from app.errors import Forbidden
    from app.moderation import cases

    _flag_other(world, sc)
    holder = sc.actor if sc.actor.membership_id else sc.lead
    with world.ctx():
        try:
            cases.claim_case(world.actor(holder.user_id), db.session.get(ModerationCase, sc.case_id))
        except Forbidden:  # a role that may not claim: the lead holds it instead
            cases.claim_case(world.actor(sc.lead.user_id), db.session.get(ModerationCase, sc.case_id))


def _case(sc: Scene) -> ModerationCase:
    return db.session.get(ModerationCase, sc.case_id)


def _flagged_by_actor(sc: Scene) -> bool:
    return db.session.scalar(select(Flag.id).where(
        Flag.post_id == sc.other_post_id, Flag.flagger_id == sc.actor.membership_id,
        Flag.state == "open")) is not None if sc.actor.membership_id else False


def _suspend_other(world, sc: Scene) -> None:
    with world.ctx():
        members.suspend_member(world.actor(sc.lead.user_id),
                               db.session.get(Membership, sc.other.membership_id), until=None)


# --- what "it happened" means for each action -----------------------------------------------

def _departure_planned(world, sc: Scene) -> None:
    from app.spaces import departures

    _meeting(world, sc)
    with world.ctx():
        departures.plan_departure(world.actor(sc.lead.user_id), _other_row(sc),
                                  meeting_id=sc.meeting_id)


def _actor_leaving(world, sc: Scene) -> None:
    """The actor's own last day is set (people without a membership have none)."""
    if sc.actor.membership_id is None:
        return
    with world.ctx():
        db.session.get(Membership, sc.actor.membership_id).leaves_on = date.today() + timedelta(days=7)
        db.session.commit()


def _other_row(sc: Scene) -> Membership:
    return db.session.get(Membership, sc.other.membership_id)


def _thread_titled(sc: Scene, title: str, kind: str) -> bool:
    return db.session.scalar(select(Thread.id).where(
        Thread.space_id == sc.space_id, Thread.title == title, Thread.kind == kind)) is not None


def _post_with_body(thread_id: int, body: str) -> bool:
    return db.session.scalar(select(Post.id).where(
        Post.thread_id == thread_id, Post.body == body)) is not None


def _post(post_id: int) -> Post:
    return db.session.get(Post, post_id)


def _other(sc: Scene) -> Membership:
    return db.session.get(Membership, sc.other.membership_id)


def _thread(sc: Scene) -> Thread:
    return db.session.get(Thread, sc.thread_id)


def _space(sc: Scene) -> Space:
    return db.session.get(Space, sc.space_id)


def _actor_left(sc: Scene) -> bool:
    return db.session.scalar(select(Membership.id).where(
        Membership.space_id == sc.space_id, Membership.user_id == sc.actor.user_id,
        Membership.ended_at.is_not(None))) is not None


@dataclass
class Action:
    method: str
    path: Callable[[Scene], str]
    data: dict | Callable[[Scene], dict] | None = None  # form fields besides the CSRF token
    happened: Callable[[Scene], bool] | None = None  # None: a page view, nothing to change
    setup: Callable | None = None

    def form(self, sc: Scene) -> dict:
        return self.data(sc) if callable(self.data) else dict(self.data or {})


def _library_item(title: str, *, from_leads: bool = False) -> bool:
    from app.library.models import LibraryItem

    return db.session.scalar(select(LibraryItem.id).where(
        LibraryItem.title == title, LibraryItem.from_leads.is_(from_leads))) is not None


def _line_message(body: str) -> bool:
    from app.line.models import LineMessage

    return db.session.scalar(select(LineMessage.id).where(LineMessage.body == body)) is not None


def _others_material(world, sc: Scene) -> None:
    from app.library import service as library

    with world.ctx():
        sc.item_id = library.add_item(world.actor(sc.other.user_id), _space(sc), kind="link",
                                      title="Tip van een ander lid", url="https://example.org/",
                                      category="group").id


def _questionnaire_titled(title: str) -> bool:
    from app.evaluation.models import Questionnaire

    return db.session.scalar(select(Questionnaire.id).where(
        Questionnaire.title == title)) is not None


def _questionnaire_sent(world, sc: Scene) -> None:
    """The lead sends a questionnaire to the whole group."""
    from app.evaluation import service as evaluation

    with world.ctx():
        sc.questionnaire_id = evaluation.send_questionnaire(
            world.actor(sc.lead.user_id), _space(sc), title="Eindevaluatie", intro="",
            open_questions="Wat neem je mee?", scale_questions="", to=0).id


def _note_written(body: str) -> bool:
    from app.notes.models import MemberNote

    return db.session.scalar(select(MemberNote.id).where(MemberNote.body == body)) is not None


def _registration(world, sc: Scene) -> None:
    """A confirmed registration for the space (its id on the scene)."""
    from app.database import utcnow
    from app.intake.models import Registration

    with world.ctx():
        now = utcnow()
        registration = Registration(space_id=sc.space_id, name="Kandidaat",
                                    email="kandidaat@example.org", answers='[["Waarom?", "Rust"]]',
                                    created_at=now, mailed_at=now, confirm_by=now,
                                    confirmed_at=now)
        db.session.add(registration)
        db.session.commit()
        sc.registration_id = registration.id


def _registration_status(sc: Scene) -> str:
    from app.intake.models import Registration

    return db.session.get(Registration, sc.registration_id).status


def _intake_open(sc: Scene) -> bool:
    from app.intake.models import IntakePage

    return db.session.scalar(select(IntakePage.is_open).where(
        IntakePage.space_id == sc.space_id)) is True


def _some_post(sc: Scene) -> int:
    """The actor's own post; people without a membership have none, so they aim at the lead's."""
    return sc.own_post_id or sc.first_post_id


def _some_thread(sc: Scene) -> int:
    """The actor's own thread; people without a membership aim at the lead's."""
    return sc.own_thread_id or sc.thread_id


def _titled(thread_id: int, title: str) -> bool:
    return db.session.get(Thread, thread_id).title == title


def _start(kind: str) -> Action:
    title = f"Nieuw {kind}"
    return Action("POST", lambda sc: f"/s/{sc.slug}/t/new",
                  {"kind": kind, "title": title, "body": f"Tekst van {kind}"},
                  lambda sc: _thread_titled(sc, title, kind))


def _meeting(world, sc: Scene) -> None:
    """A meeting the lead planned a week ahead (app/meetings)."""
    from tests.meetings import day_ahead, plan

    sc.meeting_id = plan(world, sc.slug, sc.lead, day_ahead(7))


def _meeting_row(sc: Scene):
    from app.meetings.models import Meeting

    return db.session.get(Meeting, sc.meeting_id)


def _meetings_planned(sc: Scene) -> bool:
    from app.meetings.models import Meeting

    return db.session.scalar(select(Meeting.id).where(Meeting.space_id == sc.space_id)) is not None


ACTIONS: dict[str, Action] = {
    "view_home": Action("GET", lambda sc: f"/s/{sc.slug}/"),
    "view_thread": Action("GET", lambda sc: f"/s/{sc.slug}/t/{sc.thread_id}?page=1"),
    "view_members": Action("GET", lambda sc: f"/s/{sc.slug}/members"),
    "view_file": Action("GET", lambda sc: sc.file_url, setup=_uploaded_file),
    "start_discussion": _start("discussion"),
    "start_announcement": _start("announcement"),
    "start_assignment": _start("assignment"),
    "start_statement": _start("statement"),
    "reply": Action("POST", lambda sc: f"/s/{sc.slug}/t/{sc.thread_id}/reply",
                    {"body": "Een nieuw antwoord"},
                    lambda sc: _post_with_body(sc.thread_id, "Een nieuw antwoord")),
    "reply_locked": Action("POST", lambda sc: f"/s/{sc.slug}/t/{sc.locked_thread_id}/reply",
                           {"body": "Toch nog een antwoord"},
                           lambda sc: _post_with_body(sc.locked_thread_id, "Toch nog een antwoord"),
                           setup=_locked_thread),
    "react": Action("POST", lambda sc: f"/s/{sc.slug}/p/{sc.first_post_id}/react",
                    {"choice": "thanks:1"},
                    lambda sc: db.session.scalar(select(Reaction.id).where(
                        Reaction.post_id == sc.first_post_id)) is not None),
    "take_position": Action("POST", lambda sc: f"/s/{sc.slug}/t/{sc.seeded_thread_id}/position",
                            {"position": "2"}, _chose_position, setup=_seeded("statement")),
    "edit_due_date": Action("POST", lambda sc: f"/s/{sc.slug}/t/{sc.seeded_thread_id}/due",
                            {"due_date": (NEXT_DUE + timedelta(days=1)).isoformat(),
                             "due_time": "12:00"},
                            _due_moved, setup=_seeded("assignment", due_day=NEXT_DUE.isoformat())),
    "edit_own_post": Action("POST", lambda sc: f"/s/{sc.slug}/p/{_some_post(sc)}/edit",
                            {"body": "Aangepaste tekst"},
                            lambda sc: _post(_some_post(sc)).body == "Aangepaste tekst"),
    "delete_own_post": Action("POST", lambda sc: f"/s/{sc.slug}/p/{_some_post(sc)}/delete",
                              {"on": "1"},
                              lambda sc: _post(_some_post(sc)).deleted_at is not None),
    "edit_other_post": Action("POST", lambda sc: f"/s/{sc.slug}/p/{sc.other_post_id}/edit",
                              {"body": "Door iemand anders aangepast"},
                              lambda sc: _post(sc.other_post_id).body != "Antwoord van een ander lid"),
    "delete_other_post": Action("POST", lambda sc: f"/s/{sc.slug}/p/{sc.other_post_id}/delete",
                                {"on": "1"},
                                lambda sc: _post(sc.other_post_id).deleted_at is not None),
    "edit_own_title": Action("POST", lambda sc: f"/s/{sc.slug}/t/{_some_thread(sc)}/title",
                             {"title": "Een betere titel"},
                             lambda sc: _titled(_some_thread(sc), "Een betere titel")),
    "edit_other_title": Action("POST", lambda sc: f"/s/{sc.slug}/t/{sc.thread_id}/title",
                               {"title": "Door een ander hernoemd"},
                               lambda sc: _titled(sc.thread_id, "Door een ander hernoemd")),
    "pin_thread": Action("POST", lambda sc: f"/s/{sc.slug}/t/{sc.thread_id}/pin", {"on": "1"},
                         lambda sc: _thread(sc).is_pinned),
    "lock_thread": Action("POST", lambda sc: f"/s/{sc.slug}/t/{sc.thread_id}/lock", {"on": "1"},
                          lambda sc: _thread(sc).is_locked),
    "invite": Action("POST", lambda sc: f"/s/{sc.slug}/invite",
                     {"email": "nieuw-lid@example.org", "role": "member"},
                     lambda sc: db.session.scalar(select(Invitation.id).where(
                         Invitation.email == "nieuw-lid@example.org")) is not None),
    "revoke_invitation": Action("POST", lambda sc: f"/s/{sc.slug}/invite/{sc.invitation_id}/revoke",
                                {}, lambda sc: db.session.get(
                                    Invitation, sc.invitation_id).revoked_at is not None,
                                setup=_open_invitation),
    "change_role": Action("POST", lambda sc: f"/s/{sc.slug}/members/{sc.other.membership_id}/role",
                          {"role": "moderator"}, lambda sc: _other(sc).role == "moderator"),
    "suspend_member": Action("POST",
                             lambda sc: f"/s/{sc.slug}/members/{sc.other.membership_id}/suspend",
                             {"until": ""}, lambda sc: _other(sc).suspended_at is not None),
    "unsuspend_member": Action("POST",
                               lambda sc: f"/s/{sc.slug}/members/{sc.other.membership_id}/unsuspend",
                               {}, lambda sc: _other(sc).suspended_at is None,
                               setup=_suspend_other),
    "remove_member": Action("POST", lambda sc: f"/s/{sc.slug}/members/{sc.other.membership_id}/remove",
                            {"confirm": "1"}, lambda sc: _other(sc).ended_at is not None),
    "edit_agreement": Action("POST", lambda sc: f"/s/{sc.slug}/agreement/edit",
                             {"body": "- Nieuwe afspraak"},
                             lambda sc: _space(sc).agreement_version == 2),
    "edit_settings": Action("POST", lambda sc: f"/s/{sc.slug}/settings",
                            {"name": "Nieuwe naam", "theme": "Thema", "description": "Anders",
                             "members_can_start_threads": "y"},
                            lambda sc: _space(sc).name == "Nieuwe naam"),
    "change_own_name": Action("POST", lambda sc: f"/s/{sc.slug}/members/me/name",
                              {"display_name": "Nieuwe eigen naam"},
                              lambda sc: db.session.scalar(select(Membership.id).where(
                                  Membership.display_name == "Nieuwe eigen naam")) is not None),
    "leave_space": Action("POST", lambda sc: f"/s/{sc.slug}/leave", {}, _actor_left),
    "open_admin_spaces": Action("GET", lambda sc: "/admin/spaces"),
    # The audit trail (issue 11): the operators' page, a space's page and its CSV.
    "open_admin_audit": Action("GET", lambda sc: "/admin/audit"),
    "view_audit": Action("GET", lambda sc: f"/s/{sc.slug}/audit"),
    "export_audit": Action("GET", lambda sc: f"/s/{sc.slug}/audit.csv"),
    "flag_post": Action("POST", lambda sc: f"/s/{sc.slug}/p/{sc.other_post_id}/flag",
                        {"reason": "spam"}, _flagged_by_actor),
    "withdraw_flag": Action("POST", lambda sc: f"/s/{sc.slug}/p/{sc.other_post_id}/flag/withdraw",
                            {}, lambda sc: db.session.scalar(select(Flag.state).where(
                                Flag.case_id == sc.case_id).order_by(Flag.id)) == "withdrawn",
                            setup=_flag_by_actor),
    "view_queue": Action("GET", lambda sc: f"/s/{sc.slug}/moderation", setup=_flag_other),
    "open_case": Action("GET", lambda sc: f"/s/{sc.slug}/moderation/{sc.case_id}",
                        setup=_flag_other),
    "claim_flag": Action("POST", lambda sc: f"/s/{sc.slug}/moderation/{sc.case_id}/claim", {},
                         lambda sc: sc.actor.membership_id is not None
                         and _case(sc).claimed_by_id == sc.actor.membership_id,
                         setup=_flag_other),
    "release_flag": Action("POST", lambda sc: f"/s/{sc.slug}/moderation/{sc.case_id}/release",
                           {}, lambda sc: _case(sc).claimed_by_id is None,
                           setup=_claimed_by_actor),
    "resolve_flag": Action("POST", lambda sc: f"/s/{sc.slug}/moderation/{sc.case_id}/resolve",
                           {"outcomes": "none"}, lambda sc: _case(sc).resolved_at is not None,
                           setup=_flag_other),
    "view_moderation_log": Action("GET", lambda sc: f"/s/{sc.slug}/moderation/log"),
    "view_overview": Action("GET", lambda sc: f"/s/{sc.slug}/overview"),
    # Taking things down without a flag (moderation, item 6).
    "hide_other_post": Action("POST", lambda sc: f"/s/{sc.slug}/p/{sc.other_post_id}/hide",
                              {"reason": "Niet volgens de afspraken"},
                              lambda sc: _post(sc.other_post_id).hidden_at is not None),
    "hide_thread": Action("POST", lambda sc: f"/s/{sc.slug}/t/{sc.thread_id}/hide",
                          {"reason": "Even van tafel"},
                          lambda sc: _thread(sc).hidden_at is not None),
    "erase_other_post": Action("POST", lambda sc: f"/s/{sc.slug}/p/{sc.other_post_id}/erase",
                               {"reason": "Er stond een adres in", "confirm": "y"},
                               lambda sc: _post(sc.other_post_id).erased_at is not None),
    # The library (issue 9): everyone in the group adds material; the leads mark theirs
    # "from the facilitators", edit anyone's and keep the group's own categories.
    "view_library": Action("GET", lambda sc: f"/s/{sc.slug}/library"),
    "search_space": Action("GET", lambda sc: f"/s/{sc.slug}/search?q=gesprek"),
    "add_material": Action("POST", lambda sc: f"/s/{sc.slug}/library/new",
                           {"kind": "link", "title": "Een tip", "url": "https://example.org/",
                            "category": "group"},
                           lambda sc: _library_item("Een tip")),
    "add_leads_material": Action("POST", lambda sc: f"/s/{sc.slug}/library/new",
                                 {"kind": "link", "title": "Van ons", "category": "tips",
                                  "url": "https://example.org/", "from_leads": "y"},
                                 lambda sc: _library_item("Van ons", from_leads=True)),
    "edit_other_material": Action("POST", lambda sc: f"/s/{sc.slug}/library/{sc.item_id}/edit",
                                  {"title": "Anders genoemd", "url": "https://example.org/",
                                   "category": "group"},
                                  lambda sc: _library_item("Anders genoemd"),
                                  setup=_others_material),
    # The facilitators' line (issue 10, item 7).
    "view_line": Action("GET", lambda sc: f"/s/{sc.slug}/line"),
    "write_line": Action("POST", lambda sc: f"/s/{sc.slug}/line", {"body": "Aan de begeleiders"},
                         lambda sc: _line_message("Aan de begeleiders")),
    "read_member_line": Action("GET", lambda sc: f"/s/{sc.slug}/line/{sc.other.membership_id}"),
    "write_member_line": Action("POST", lambda sc: f"/s/{sc.slug}/line/{sc.other.membership_id}",
                                {"body": "Van de begeleiders"},
                                lambda sc: _line_message("Van de begeleiders")),
    # Leaving (issue 10): the facilitators set a participant's last meeting; the leaving
    # member chooses how their posts show afterwards.
    "plan_departure": Action("POST",
                             lambda sc: f"/s/{sc.slug}/members/{sc.other.membership_id}/departure",
                             lambda sc: {"meeting": str(sc.meeting_id)},
                             lambda sc: _other(sc).leaves_on is not None, setup=_meeting),
    "withdraw_departure": Action(
        "POST", lambda sc: f"/s/{sc.slug}/members/{sc.other.membership_id}/departure/withdraw",
        {}, lambda sc: _other(sc).leaves_on is None, setup=_departure_planned),
    "choose_name_after_leaving": Action(
        "POST", lambda sc: f"/s/{sc.slug}/departure", {"choice": "former"},
        lambda sc: db.session.scalar(select(Membership.anonymous_after_leaving).where(
            Membership.id == sc.actor.membership_id)) is True,
        setup=_actor_leaving),
    "add_library_category": Action("POST", lambda sc: f"/s/{sc.slug}/library/categories",
                                   {"name": "Eigen categorie"},
                                   lambda sc: db.session.scalar(select(LibraryCategory.id))
                                   is not None),
    # Meetings (issue 10): the group sees them, the facilitators plan and cancel them.
    "view_meetings": Action("GET", lambda sc: f"/s/{sc.slug}/meetings"),
    "view_meeting": Action("GET", lambda sc: f"/s/{sc.slug}/meetings/{sc.meeting_id}",
                           setup=_meeting),
    "plan_meeting": Action("POST", lambda sc: f"/s/{sc.slug}/meetings/new",
                           {"start_date": (date.today() + timedelta(days=9)).isoformat(),
                            "start_time": "19:30", "end_time": "21:00", "repeat": "once"},
                           _meetings_planned),
    "edit_meeting": Action("POST", lambda sc: f"/s/{sc.slug}/meetings/{sc.meeting_id}/edit",
                           {"start_date": (date.today() + timedelta(days=9)).isoformat(),
                            "start_time": "19:30", "end_time": "21:00", "topic": "Nieuw"},
                           lambda sc: _meeting_row(sc).topic == "Nieuw", setup=_meeting),
    "cancel_meeting": Action("POST", lambda sc: f"/s/{sc.slug}/meetings/{sc.meeting_id}/cancel",
                             {}, lambda sc: _meeting_row(sc).cancelled_at is not None,
                             setup=_meeting),
    # Evaluation (issue 10, item 9) and the facilitators' notes per member (item 10).
    "view_evaluations": Action("GET", lambda sc: f"/s/{sc.slug}/evaluations"),
    "send_evaluation": Action("POST", lambda sc: f"/s/{sc.slug}/evaluations/new",
                              {"title": "Terugblik", "open_questions": "Hoe was het?",
                               "scale_questions": "", "intro": "", "to": "0"},
                              lambda sc: _questionnaire_titled("Terugblik")),
    "read_evaluation_answers": Action(
        "GET", lambda sc: f"/s/{sc.slug}/evaluations/{sc.questionnaire_id}/results",
        setup=_questionnaire_sent),
    "view_notes": Action("GET", lambda sc: f"/s/{sc.slug}/members/{sc.other.membership_id}/notes"),
    "write_note": Action("POST", lambda sc: f"/s/{sc.slug}/members/{sc.other.membership_id}/notes",
                         {"body": "Een korte notitie"},
                         lambda sc: _note_written("Een korte notitie")),
    # Intake (app/intake): only the facilitators see registrations and decide on them.
    "view_registrations": Action("GET", lambda sc: f"/s/{sc.slug}/intake"),
    "view_registration": Action("GET", lambda sc: f"/s/{sc.slug}/intake/{sc.registration_id}",
                                setup=_registration),
    "setup_intake": Action("POST", lambda sc: f"/s/{sc.slug}/intake/setup",
                           {"is_open": "y", "introduction": "Welkom", "rhythm": "",
                            "questions": "Waarom?", "decline_message": ""}, _intake_open),
    "plan_intake": Action("POST", lambda sc: f"/s/{sc.slug}/intake/{sc.registration_id}/status",
                          {"status": "planned"},
                          lambda sc: _registration_status(sc) == "planned",
                          setup=_registration),
    "admit_registration": Action("POST",
                                 lambda sc: f"/s/{sc.slug}/intake/{sc.registration_id}/admit",
                                 {}, lambda sc: _registration_status(sc) == "admitted",
                                 setup=_registration),
    "decline_registration": Action("POST",
                                   lambda sc: f"/s/{sc.slug}/intake/{sc.registration_id}/decline",
                                   {"message": "Helaas"},
                                   lambda sc: _registration_status(sc) == "declined",
                                   setup=_registration),
}

def _attendance_meeting(world, sc: Scene, *, started: bool) -> None:
    """A meeting of the scene's space, ahead or begun a day ago (the other member joined
    before it, so they are expected)."""
    from app.database import utcnow
    from app.meetings.models import Meeting

    start = utcnow() + (timedelta(days=-1) if started else timedelta(days=2))
    with world.ctx():
        meeting = Meeting(space_id=sc.space_id, starts_at=start,
                          ends_at=start + timedelta(minutes=90), zone="Europe/Amsterdam")
        db.session.add(meeting)
        _other(sc).joined_at = start - timedelta(days=1)
        db.session.commit()
        sc.meeting_id = meeting.id


def _attendance(sc: Scene, membership_id: int | None):
    from app.meetings.models import Attendance

    return db.session.scalar(select(Attendance).where(
        Attendance.meeting_id == sc.meeting_id, Attendance.membership_id == membership_id))


def _away_marked(sc: Scene) -> bool:
    from app.meetings.models import AwayPeriod

    return db.session.scalar(select(AwayPeriod.id).where(
        AwayPeriod.membership_id == sc.actor.membership_id)) is not None


ACTIONS.update({
    # Absence and attendance (issue 10, app/meetings/attendance_views.py).
    "send_absence": Action("POST", lambda sc: f"/s/{sc.slug}/meetings/{sc.meeting_id}/absence",
                           {"reason": "Ziek"},
                           lambda sc: sc.actor.membership_id is not None
                           and _attendance(sc, sc.actor.membership_id) is not None,
                           setup=lambda world, sc: _attendance_meeting(world, sc, started=False)),
    "mark_away": Action("POST", lambda sc: f"/s/{sc.slug}/meetings/away",
                        {"first_day": date.today().isoformat(),
                         "last_day": (date.today() + timedelta(days=3)).isoformat()},
                        _away_marked),
    "view_own_attendance": Action("GET", lambda sc: f"/s/{sc.slug}/meetings/mine"),
    "view_attendance": Action("GET", lambda sc: f"/s/{sc.slug}/meetings/{sc.meeting_id}/attendance",
                              setup=lambda world, sc: _attendance_meeting(world, sc, started=False)),
    "record_attendance": Action(
        "POST", lambda sc: f"/s/{sc.slug}/meetings/{sc.meeting_id}/attendance",
        None, lambda sc: _attendance(sc, sc.other.membership_id) is not None,
        setup=lambda world, sc: _attendance_meeting(world, sc, started=True)),
    "set_commitment": Action("POST",
                             lambda sc: f"/s/{sc.slug}/members/{sc.other.membership_id}/attendance",
                             {"sessions": "6"}, lambda sc: _other(sc).commitment_sessions == 6),
})
ACTIONS["export_space"] = Action("GET", lambda sc: f"/s/{sc.slug}/export")  # app/exports
RECORD_FIELDS = {"record_attendance": lambda sc: {f"outcome-{sc.other.membership_id}": "present"}}

CASES = [pytest.param(role, action, "open", id=f"{role}-{action}")
         for role in ROLES for action in ACTIONS]
# Operators, outsiders and suspended members meet the same door whatever the rental says; the
# closed columns cover every in-group role after the end, and the facilitator (who may do the
# most) before the start, where every request of every role meets the same door.
CASES += [pytest.param(role, action, "ended", id=f"ended-{role}-{action}")
          for role in ROLES[3:] for action in ACTIONS]
CASES += [pytest.param("facilitator", action, "not_started", id=f"not_started-facilitator-{action}")
          for action in ACTIONS]


def set_rental_state(world, sc: Scene, state: str) -> None:
    """Move the rental dates around today so that the space is `state`."""
    if state == "open":
        return
    today = date.today()
    with world.ctx():
        space = db.session.get(Space, sc.space_id)
        if state == "ended":
            space.rental_start, space.rental_end = today - timedelta(days=60), today - timedelta(days=1)
        else:
            space.rental_start, space.rental_end = today + timedelta(days=7), today + timedelta(days=90)
        db.session.commit()


def db_snapshot() -> dict:
    """Every row of every table: a refused request must leave all of it as it was."""
    return {table.name: db.session.execute(
                select(table).order_by(*table.primary_key.columns)).all()
            for table in db.metadata.sorted_tables}


# --- the table itself -----------------------------------------------------------------------

def test_expected_table_covers_every_role_and_action():
    assert set(ALLOWED) == set(ROLES)
    assert all(set(table) == set(ROLES) for table in ALLOWED_IN.values())
    known = set(ACTIONS) | set(ADMIN_ACTIONS)
    assert set(ADMIN_ACTIONS) == set(ADMINISTERING)
    for role, actions in ALLOWED.items():
        assert actions <= known, f"{role}: unknown actions {actions - known}"
    assert NOBODY <= set(ACTIONS)
    assert not any(NOBODY & actions for actions in ALLOWED.values())


@pytest.mark.parametrize("action", sorted(PERMISSION_OF))
def test_expected_table_matches_policy_permissions(action):
    """The hand-written table and app/policy.py agree on every space action."""
    permitted = {role for role in ROLES if role in policy.PERMISSIONS[PERMISSION_OF[action]]}
    expected = {role for role in ROLES if action in ALLOWED[role]}
    assert expected == permitted


def test_expected_table_gives_the_admin_pages_to_the_operator_alone():
    """The operator's rule (can_administer_platform) has no row in PERMISSIONS: only
    operators pass it, whatever their role in any space."""
    for role in ROLES:
        may = {action for action in ADMINISTERING if action in ALLOWED[role]}
        assert may == (set(ADMINISTERING) if role == "operator" else set()), role


# --- every pair over HTTP -------------------------------------------------------------------

@pytest.mark.parametrize("role, action, state", CASES)
def test_role_action_matrix(app, client, world, role, action, state):
    step = ACTIONS[action]
    sc = build_scene(world, role)
    if step.setup:
        step.setup(world, sc)
    set_rental_state(world, sc, state)
    login(client, sc.actor)
    data = None
    if step.method == "POST":
        data = {"csrf_token": csrf_token(client, "/"), **step.form(sc)}
        if action in RECORD_FIELDS:  # fields named after the scene's rows
            data.update(RECORD_FIELDS[action](sc))
    with world.ctx():
        before = db_snapshot()
        if step.happened:
            assert not step.happened(sc), "the scene already shows the outcome"

    response = client.open(step.path(sc), method=step.method, data=data)

    allowed = action in ALLOWED_IN[state][role]
    with world.ctx():
        if allowed:
            ok = (200,) if step.method == "GET" else (302,)
            assert response.status_code in ok, (
                f"{role} may {action}: expected {ok}, got {response.status_code}")
            if step.happened:
                assert step.happened(sc), f"{role} may {action}, but nothing changed"
        else:
            expected = denied_status(role, action, state)
            assert response.status_code == expected, (
                f"{role} may not {action} ({state}): expected {expected}, "
                f"got {response.status_code}")
            assert db_snapshot() == before, f"{role} may not {action}, yet the database changed"
            if step.happened:
                assert not step.happened(sc)


# --- the operator's actions: one scene per role, every action a pair -------------------------

FIRST, OTHER_FIRST = "eerste-begeleider@example.org", "andere-eerste@example.org"


def _first_invitation(sc: Scene) -> Invitation:
    from app.admin.queries import first_facilitator_invitation

    return first_facilitator_invitation(_space(sc))


def _invitations_to(email: str) -> int:
    return len(db.session.scalars(select(Invitation.id).where(Invitation.email == email)).all())


def _rental(sc: Scene, **changes) -> dict:
    space = _space(sc)
    data = {"name": space.name, "theme": space.theme, "description": space.description,
            "renter": space.renter, "rental_start": space.rental_start.isoformat(),
            "rental_end": space.rental_end.isoformat(), "seat_limit": str(space.seat_limit)}
    return {**data, **changes}


LATER = date.today() + timedelta(days=900)
# name → (path after /admin/spaces/<slug>, form fields (read in the scene), what it did)
ADMIN_ACTIONS: dict[str, tuple[str, Callable[[Scene], dict], Callable[[Scene], bool]]] = {
    "edit_rental": ("", lambda sc: _rental(sc, name="Nieuwe huurnaam"),
                    lambda sc: _space(sc).name == "Nieuwe huurnaam"),
    "extend_rental": ("/extend", lambda sc: {"extend-rental_end": LATER.isoformat()},
                      lambda sc: _space(sc).rental_end == LATER),
    "invite_first_facilitator": ("/first-facilitator", lambda sc: {"first-email": OTHER_FIRST},
                                 lambda sc: _invitations_to(OTHER_FIRST) >= 1),
    "resend_first_invitation": ("/first-facilitator/resend", lambda sc: {},
                                lambda sc: _invitations_to(OTHER_FIRST) == 2),
    "withdraw_first_invitation": ("/first-facilitator/withdraw", lambda sc: {},
                                  lambda sc: _first_invitation(sc).email == OTHER_FIRST
                                  and _first_invitation(sc).revoked_at is not None),
    "end_rental": ("/end", lambda sc: {"end-confirm": "y"},
                   lambda sc: _space(sc).rental_end == date.today() - timedelta(days=1)),
}


@pytest.mark.parametrize("role", ROLES)
def test_operator_actions_matrix(app, client, world, role):
    """Each of the operator's actions is one (role, action) pair like those above. They share
    one scene per role, walked in order (the invitation the operator sends is the one it
    resends, then withdraws; ending comes last), with an open first-facilitator invitation
    for the refused to aim at: allowed means 302 and the change made, refused means 403 and
    not one row changed."""
    from app.admin import service as admin

    sc = build_scene(world, role)
    with world.ctx():
        admin.invite_first_facilitator(world.actor(world.operator.user_id), _space(sc), email=FIRST)
    login(client, sc.actor)
    token = csrf_token(client, "/")
    for action in ADMINISTERING:
        tail, form, happened = ADMIN_ACTIONS[action]
        with world.ctx():
            data = {"csrf_token": token, **form(sc)}
            before = db_snapshot()
            assert not happened(sc), f"{action}: the scene already shows the outcome"
        response = client.post(f"/admin/spaces/{sc.slug}{tail}", data=data)
        with world.ctx():
            if action in ALLOWED[role]:
                assert response.status_code == 302, f"{role} may {action}: {response.status_code}"
                assert happened(sc), f"{role} may {action}, but nothing changed"
            else:
                expected = denied_status(role, action)
                assert response.status_code == expected, (
                    f"{role} may not {action}: expected {expected}, got {response.status_code}")
                assert db_snapshot() == before, f"{role} may not {action}, yet the database changed"


# --- the space setting "members may start conversations" ------------------------------------

@pytest.mark.parametrize("role, may_start", [
    ("member", False), ("moderator", True), ("cofacilitator", True), ("facilitator", True),
])
def test_closed_space_lets_only_moderators_and_leads_start_discussions(app, client, world,
                                                                      role, may_start):
    slug, lead = world.space(members_can_start_threads=False)
    actor = lead if role == "facilitator" else world.member(slug, lead, role=role)
    login(client, actor)
    token = csrf_token(client, "/")

    page = client.get(f"/s/{slug}/t/new")
    response = client.post(f"/s/{slug}/t/new", data={
        "csrf_token": token, "kind": "discussion", "title": "Mag ik beginnen?", "body": "Vraag"})

    with world.ctx():
        started = db.session.scalar(select(Thread.id).where(Thread.title == "Mag ik beginnen?"))
    if may_start:
        assert page.status_code == 200
        assert response.status_code == 302
        assert started is not None
    else:
        assert page.status_code == 403
        assert response.status_code == 403
        assert started is None


def test_member_can_still_reply_in_closed_space(app, client, world):
    slug, lead = world.space(members_can_start_threads=False)
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead)
    login(client, member)
    response = client.post(f"/s/{slug}/t/{thread_id}/reply", data={
        "csrf_token": csrf_token(client, "/"), "body": "Ik antwoord wel"})
    assert response.status_code == 302
    with world.ctx():
        assert _post_with_body(thread_id, "Ik antwoord wel")


# --- the anonymous actor, straight against the rulebook -------------------------------------

def _anonymous_targets():
    space = SimpleNamespace(id=1, members_can_start_threads=True, agreement_version=1)
    thread = SimpleNamespace(id=1, space_id=1, is_locked=False, author_id=1,
                             title_removed_at=None, hidden_at=None, publish_at=None)
    post = SimpleNamespace(id=1, space_id=1, author_id=1, deleted_at=None, hidden_at=None,
                           erased_at=None, publish_at=None)
    planned = SimpleNamespace(id=3, space_id=1, author_id=1, publish_at=True)
    meeting = SimpleNamespace(id=1, space_id=1, cancelled_at=None, room_url="https://v.example",
                              starts_at=datetime.now(timezone.utc),
                              ends_at=datetime.now(timezone.utc) + timedelta(hours=1))
    away = SimpleNamespace(id=1, space_id=1, membership_id=1)
    membership = SimpleNamespace(id=1, space_id=1, role="member")
    flag = SimpleNamespace(id=1, space_id=1, flagger_id=1, state="open")
    case = SimpleNamespace(id=1, space_id=1, post_author_id=2, claimed_by_id=None,
                           resolved_at=None)
    hidden = SimpleNamespace(id=2, space_id=1, author_id=1, deleted_at=None,
                             hidden_at=True, review_requested_at=None)
    notice = SimpleNamespace(id=1, space_id=1, membership_id=1)
    item = SimpleNamespace(id=1, space_id=1, author_id=1, thread_id=None, deleted_at=None,
                           publish_at=None)
    statement = SimpleNamespace(id=3, space_id=1, kind="statement", is_locked=False, author_id=1,
                                title_removed_at=None, hidden_at=None)
    poll = SimpleNamespace(thread=statement, space_id=1, chosen=True, total=0)
    assignment = SimpleNamespace(id=4, space_id=1, kind="assignment", is_locked=False,
                                 author_id=1, title_removed_at=None, hidden_at=None)
    return {
        "administer_platform": None,
        "view_space": space, "view_members": space, "invite_member": space,
        "edit_agreement": space, "edit_space": space, "leave_space": space,
        "change_display_name": space, "start_thread": space,
        "manage_member": membership,
        "reply_thread": thread, "pin_thread": thread, "lock_thread": thread,
        "read_thread": thread, "edit_thread_title": thread, "revoke_invitation": SimpleNamespace(id=1, space_id=1),
        "edit_post": post, "delete_post": post, "react_post": post,
        "flag_post": post, "withdraw_flag": flag, "view_queue": space,
        "view_flag_details": case, "claim_flag": case, "release_flag": case,
        "resolve_flag": case, "hide_post": post, "request_review": hidden,
        "suspend_member": membership, "warn_member": membership, "read_notice": notice, "view_moderation_log": space,
        "erase_post": post, "hide_thread": thread, "view_hidden_thread": thread,
        "read_thread_hidden_reason": thread,
        "upload_file": space, "view_upload": SimpleNamespace(id=1, space_id=1, post=None),
        "view_planned": space, "view_library": space, "search_space": space, "view_library_item": item,
        "add_library_item": space, "mark_from_leads": space, "edit_library_item": item,
        "remove_library_item": item, "manage_library_categories": space,
        "start_library_discussion": item,
        "take_position": statement, "view_statement_results": poll, "edit_statement": poll,
        "edit_due_date": assignment, "view_assignment_responses": assignment,
        "quote_post": post, "view_hidden_threads": space,
        "schedule": space, "change_planned": planned,
        "view_meetings": space, "manage_meetings": space, "change_meeting": meeting,
        "read_script": meeting, "see_room_link": meeting,
        "view_evaluations": space, "send_evaluation": space, "review_evaluations": space,
        "read_evaluation_answers": SimpleNamespace(id=1, space_id=1),
        "answer_evaluation": SimpleNamespace(id=1, space_id=1, membership_id=1,
                                             answered_at=None),
        "keep_notes": SimpleNamespace(id=2, space_id=1, role="member", ended_at=None),
        "write_note": SimpleNamespace(id=2, space_id=1, role="member", ended_at=None),
        "send_absence": meeting, "mark_away": space, "remove_away": away,
        "view_own_attendance": space, "view_attendance": meeting,
        "record_attendance": meeting, "set_commitment": membership,
        "list_in_calendar": space, "keep_calendar_feed": None,
        "read_line": space, "have_line": space, "open_line": space, "use_line": space,
        "read_line_of": membership, "write_line_to": membership,
        "view_overview": space, "read_absence_reasons": space,
        "plan_departure": membership, "choose_name_after_leaving": space,
        "view_group_size": space,
        "manage_intake": space, "decide_registration": SimpleNamespace(id=1, space_id=1),
        "end_session": SimpleNamespace(id=1, user_id=1), "change_email": None,
        "erase_membership": SimpleNamespace(id=1, space_id=1, user_id=1),
        "erase_account": SimpleNamespace(id=1, erased_at=None),
        "set_up_second_factor": None, "renew_recovery_codes": None,
        "disable_second_factor": None,
        "view_audit": space, "view_platform_audit": None,
        "export_own_data": None, "export_space": space,
        "download_export": SimpleNamespace(id=1, user_id=1, space_id=None),
    }


def test_anonymous_actor_has_no_role_in_any_permission():
    anonymous = policy.Actor(user=None)
    assert policy.role_in(anonymous, 1) == policy.ANONYMOUS
    assert not anonymous.is_operator
    for permission, roles in policy.PERMISSIONS.items():
        assert policy.ANONYMOUS not in roles, permission
        assert not policy.allowed(anonymous, permission, 1), permission


def test_anonymous_actor_is_denied_by_every_can_rule():
    anonymous = policy.Actor(user=None)
    targets = _anonymous_targets()
    rules = {name[len("can_"):] for name in dir(policy)
             if name.startswith("can_") and callable(getattr(policy, name))}
    # Accepting an invitation is the one thing someone not logged in may do (it creates the
    # account for the invited address); see test_invitation_is_for_its_address_and_never_an_operator.
    assert rules - {"accept_invitation"} == set(targets), "a can_* rule was added: give it a target here"
    for rule, target in targets.items():
        assert getattr(policy, f"can_{rule}")(anonymous, target) is False, rule
        assert policy.can(anonymous, rule, target) is False, rule
    for kind in ("discussion", "announcement", "assignment", "statement"):
        assert policy.can_start_thread(anonymous, targets["start_thread"], kind) is False, kind
    locked = SimpleNamespace(id=2, space_id=1, is_locked=True, hidden_at=None, publish_at=None)
    assert policy.can_reply_thread(anonymous, locked) is False
    assert policy.must_accept_agreement(anonymous, targets["view_space"]) is False


def test_invitation_is_for_its_address_and_never_an_operator():
    invitation = SimpleNamespace(email="sanne@example.org", space_id=1)
    person = lambda email, operator=False: policy.Actor(  # noqa: E731
        user=SimpleNamespace(email=email, is_operator=operator))
    assert policy.can_accept_invitation(policy.Actor(user=None), invitation)
    assert policy.can_accept_invitation(person("sanne@example.org"), invitation)
    assert not policy.can_accept_invitation(person("iemand.anders@example.org"), invitation)
    assert not policy.can_accept_invitation(person("sanne@example.org", operator=True), invitation)
