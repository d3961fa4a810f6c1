"""Check-then-insert races: two real requests at the same moment (threads, each with its own
test client, released together by a barrier) against one app, on SQLite and PostgreSQL.
Exactly one of them takes effect, and neither answers 500."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.database import utcnow
from app.extensions import db
from app.forum.models import Post, Thread
from app.spaces.models import Agreement, AgreementAcceptance, Invitation, Membership
from tests.conftest import PASSWORD, csrf_token, login

ROUNDS = 3  # pairs per test: one lucky ordering must not hide a race


def at_once(*requests):
    """Run each `request()` in its own thread, all released at the same moment; their
    responses in order. A request that raises fails the test with its exception."""
    barrier = threading.Barrier(len(requests))
    responses: list = [None] * len(requests)
    errors: list[BaseException] = []

    def run(index, request):
        try:
            barrier.wait(timeout=10)
            responses[index] = request()
        except BaseException as exc:  # handed to the test thread below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    for response in responses:
        assert response.status_code < 500, response.get_data(as_text=True)[:500]
    return responses


def client_for(app, person, form_path):
    """A logged-in client of its own and a CSRF token taken from `form_path`."""
    client = app.test_client()
    login(client, person)
    return client, csrf_token(client, form_path)


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


# --- double submit --------------------------------------------------------------------------

def test_two_identical_replies_sent_at_once_are_stored_once(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead)
    path = f"/s/{slug}/t/{thread_id}"
    for round_ in range(ROUNDS):
        pairs = [client_for(app, member, path) for _ in range(2)]
        body = f"Tegelijk verstuurd {round_}"
        first, second = at_once(*(
            (lambda c=c, t=t: c.post(f"{path}/reply", data={"csrf_token": t, "body": body}))
            for c, t in pairs))
        # Both land on the one post.
        assert first.status_code == second.status_code == 302
        assert first.headers["Location"] == second.headers["Location"]
        with app.app_context():
            assert count(Post, Post.thread_id == thread_id, Post.body == body) == 1
    with app.app_context():
        numbers = db.session.scalars(select(Post.number).where(Post.thread_id == thread_id)
                                     .order_by(Post.number)).all()
        assert numbers == [1, 2, 3, 4]
        assert db.session.get(Thread, thread_id).post_count == 4


def test_a_reply_resent_later_is_still_the_same_post(app, world):
    slug, lead = world.space()
    thread_id = world.thread(slug, lead)
    client, token = client_for(app, lead, f"/s/{slug}/t/{thread_id}")
    first = client.post(f"/s/{slug}/t/{thread_id}/reply", data={"csrf_token": token, "body": "Nog eens"})
    again = client.post(f"/s/{slug}/t/{thread_id}/reply", data={"csrf_token": token, "body": "Nog eens"})
    assert first.headers["Location"] == again.headers["Location"]
    with app.app_context():
        assert count(Post, Post.thread_id == thread_id) == 2


def test_different_replies_sent_at_once_are_both_stored_with_their_own_numbers(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead)
    path = f"/s/{slug}/t/{thread_id}"
    (c1, t1), (c2, t2) = client_for(app, lead, path), client_for(app, member, path)
    at_once(lambda: c1.post(f"{path}/reply", data={"csrf_token": t1, "body": "Van de begeleider"}),
            lambda: c2.post(f"{path}/reply", data={"csrf_token": t2, "body": "Van het lid"}))
    with app.app_context():
        assert sorted(db.session.scalars(select(Post.number).where(Post.thread_id == thread_id))) == [1, 2, 3]


def test_two_identical_new_threads_sent_at_once_make_one_thread(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    for round_ in range(ROUNDS):
        pairs = [client_for(app, member, f"/s/{slug}/t/new") for _ in range(2)]
        data = {"kind": "discussion", "title": f"Dubbel {round_}", "body": "Twee keer getikt"}
        first, second = at_once(*(
            (lambda c=c, t=t: c.post(f"/s/{slug}/t/new", data={**data, "csrf_token": t}))
            for c, t in pairs))
        assert first.status_code == second.status_code == 302
        assert first.headers["Location"] == second.headers["Location"]
        with app.app_context():
            assert count(Thread, Thread.title == data["title"]) == 1


# --- seats, facilitators, invitations -----------------------------------------------------

def test_two_invitees_taking_the_last_seat_at_once_one_joins_and_one_hears_the_group_is_full(app, world):
    for round_ in range(ROUNDS):
        slug, lead = world.space(seat_limit=2)  # the facilitator and one free seat
        tokens = [world.invite_token(slug, lead) for _ in range(2)]
        clients = [app.test_client() for _ in tokens]
        forms = [csrf_token(c, f"/invite/{t}") for c, t in zip(clients, tokens)]
        responses = at_once(*(
            (lambda c=c, t=t, f=f, n=n: c.post(f"/invite/{t}", data={
                "csrf_token": f, "display_name": f"Nieuw {n}", "password": PASSWORD,
                "accept": "y"}))
            for n, (c, t, f) in enumerate(zip(clients, tokens, forms))))
        assert sorted(r.status_code for r in responses) == [302, 400]
        refused = next(r for r in responses if r.status_code == 400).get_data(as_text=True)
        assert "Deze groep is vol" in refused
        with app.app_context():
            space = world.space_obj(slug)
            assert count(Membership, Membership.space_id == space.id,
                         Membership.ended_at.is_(None)) == 2


def test_a_join_and_a_lower_seat_limit_at_once_never_leave_more_seats_taken_than_the_limit(app, world):
    for round_ in range(ROUNDS):
        slug, lead = world.space(seat_limit=3)
        world.member(slug, lead)  # two seats taken, one free
        token = world.invite_token(slug, lead)
        invitee = app.test_client()
        join_form = csrf_token(invitee, f"/invite/{token}")
        operator, admin_form = client_for(app, world.operator, "/admin/spaces")
        with app.app_context():
            space = world.space_obj(slug)
            rental = {"name": space.name, "theme": space.theme, "description": space.description,
                      "renter": space.renter, "rental_start": space.rental_start.isoformat(),
                      "rental_end": space.rental_end.isoformat(), "seat_limit": "2"}
        responses = at_once(
            lambda: invitee.post(f"/invite/{token}", data={
                "csrf_token": join_form, "display_name": f"Nieuw {round_}", "password": PASSWORD,
                "accept": "y"}),
            lambda: operator.post(f"/admin/spaces/{slug}", data={"csrf_token": admin_form, **rental}))
        # Either the join came first (and the lower limit is refused) or the limit did (and
        # the group is full): never both.
        assert sorted(r.status_code for r in responses) == [302, 400]
        with app.app_context():
            space = world.space_obj(slug)
            taken = count(Membership, Membership.space_id == space.id, Membership.ended_at.is_(None))
            assert taken <= space.seat_limit, (taken, space.seat_limit)


def test_two_submits_of_one_invitation_at_once_make_one_account_and_one_membership(app, world):
    from app.accounts.models import User

    slug, lead = world.space()
    token = world.invite_token(slug, lead, email="dubbel@example.org")
    clients = [app.test_client() for _ in range(2)]
    forms = [csrf_token(c, f"/invite/{token}") for c in clients]
    responses = at_once(*(
        (lambda c=c, f=f: c.post(f"/invite/{token}", data={
            "csrf_token": f, "display_name": "Dubbel", "password": PASSWORD, "accept": "y"}))
        for c, f in zip(clients, forms)))
    assert 302 in [r.status_code for r in responses]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "dubbel@example.org"))
        assert count(Membership, Membership.user_id == user.id) == 1


def test_two_facilitators_leaving_at_once_leave_one_behind(app, world):
    for _ in range(ROUNDS):
        slug, lead = world.space()
        other = world.member(slug, lead, role="facilitator")
        (c1, t1), (c2, t2) = (client_for(app, p, f"/s/{slug}/leave") for p in (lead, other))
        responses = at_once(lambda: c1.post(f"/s/{slug}/leave", data={"csrf_token": t1}),
                            lambda: c2.post(f"/s/{slug}/leave", data={"csrf_token": t2}))
        # One left (to the start page); the other is told on the leave page (400) that they
        # are the only facilitator.
        assert sorted(r.status_code for r in responses) == [302, 400]
        assert next(r for r in responses if r.status_code == 302).headers["Location"] == "/"
        assert "enige begeleider" in next(r for r in responses if r.status_code == 400).get_data(as_text=True)
        with app.app_context():
            space = world.space_obj(slug)
            assert count(Membership, Membership.space_id == space.id, Membership.ended_at.is_(None),
                         Membership.role == "facilitator") == 1


# Each facilitator takes the other out of running the group at the same moment.
TAKE_OUT = {"role": {"role": "member"}, "suspend": {"until": ""}, "remove": {"confirm": "y"}}


@pytest.mark.parametrize("action", sorted(TAKE_OUT))
def test_two_facilitators_taking_each_other_out_at_once_leave_one_facilitator(app, world, action):
    for _ in range(2):
        slug, lead = world.space()
        other = world.member(slug, lead, role="facilitator")
        pairs = [(client_for(app, actor, f"/s/{slug}/members"), target)
                 for actor, target in ((lead, other), (other, lead))]
        responses = at_once(*(
            (lambda c=c, t=t, target=target: c.post(
                f"/s/{slug}/members/{target.membership_id}/{action}",
                data={"csrf_token": t, **TAKE_OUT[action]}))
            for (c, t), target in pairs))
        # One wins (back to the members page). The other is told at that member's row (400)
        # or, when the winner suspended or removed them before their request came in, meets
        # the door: the suspended page (403) or a group closed to them (404).
        codes = sorted(r.status_code for r in responses)
        assert codes in ([302, 400], [302, 403], [302, 404]), codes
        if codes[1] == 400:
            assert "enige begeleider" in responses[[r.status_code for r in responses].index(400)] \
                .get_data(as_text=True)
        with app.app_context():
            space = world.space_obj(slug)
            usable = select(func.count()).select_from(Membership).where(
                Membership.space_id == space.id, Membership.role == "facilitator",
                Membership.usable_at(utcnow()))
            assert db.session.scalar(usable) == 1


def test_two_invitations_of_one_address_sent_at_once_make_one_invitation(app, world):
    slug, lead = world.space()
    co = world.member(slug, lead, role="facilitator")
    for round_ in range(ROUNDS):
        email = f"samen{round_}@example.org"
        (c1, t1), (c2, t2) = (client_for(app, p, f"/s/{slug}/invite") for p in (lead, co))
        responses = at_once(
            lambda: c1.post(f"/s/{slug}/invite", data={"csrf_token": t1, "email": email, "role": "member"}),
            lambda: c2.post(f"/s/{slug}/invite", data={"csrf_token": t2, "email": email, "role": "member"}))
        assert sorted(r.status_code for r in responses) == [302, 400]
        assert "Er staat al een uitnodiging open" in next(r for r in responses if r.status_code == 400).get_data(as_text=True)
        with app.app_context():
            assert count(Invitation, Invitation.email == email) == 1


# --- agreements -----------------------------------------------------------------------------

def _agreement_versions(app, slug, world) -> list[int]:
    with app.app_context():
        space = world.space_obj(slug)
        return list(db.session.scalars(select(Agreement.version).where(Agreement.space_id == space.id)
                                       .order_by(Agreement.version)))


def test_a_new_agreement_published_twice_at_once_is_one_version(app, world):
    slug, lead = world.space()
    pairs = [client_for(app, lead, f"/s/{slug}/agreement") for _ in range(2)]
    first, second = at_once(*(
        (lambda c=c, t=t: c.post(f"/s/{slug}/agreement/edit", data={"csrf_token": t, "body": "- Nieuw"}))
        for c, t in pairs))
    assert first.status_code == second.status_code == 302
    assert _agreement_versions(app, slug, world) == [1, 2]


def test_an_agreement_sent_again_just_after_it_was_published_is_the_same_version(app, world):
    # The twin submit that arrives after the first one committed (the flaky half of the pair
    # above, made certain): a success that changes nothing, not "Nothing changed".
    slug, lead = world.space()
    client, token = client_for(app, lead, f"/s/{slug}/agreement")
    for _ in range(2):
        response = client.post(f"/s/{slug}/agreement/edit", data={"csrf_token": token, "body": "- Nieuw"})
        assert response.status_code == 302
    assert _agreement_versions(app, slug, world) == [1, 2]


def test_saving_the_current_agreement_of_someone_else_says_nothing_changed(app, world):
    slug, lead = world.space()
    with app.app_context():
        from app.spaces import agreements

        agreements.update_agreement(world.actor(lead.user_id), world.space_obj(slug), body="- Nieuw")
    co = world.member(slug, lead, role="facilitator")  # joins accepting version 2
    client, token = client_for(app, co, f"/s/{slug}/agreement")
    response = client.post(f"/s/{slug}/agreement/edit", data={"csrf_token": token, "body": "- Nieuw"})
    assert response.status_code == 400
    assert "Er is niets veranderd." in response.get_data(as_text=True)
    assert _agreement_versions(app, slug, world) == [1, 2]


def test_two_different_agreements_published_at_once_become_two_versions(app, world):
    slug, lead = world.space()
    co = world.member(slug, lead, role="facilitator")
    (c1, t1), (c2, t2) = (client_for(app, p, f"/s/{slug}/agreement") for p in (lead, co))
    responses = at_once(
        lambda: c1.post(f"/s/{slug}/agreement/edit", data={"csrf_token": t1, "body": "- Versie A"}),
        lambda: c2.post(f"/s/{slug}/agreement/edit", data={"csrf_token": t2, "body": "- Versie B"}))
    assert [r.status_code for r in responses] == [302, 302]
    # Both publish (versions 2 and 3), or the later request meets the new version at the door
    # and is asked to read it first; never one version number twice.
    versions = _agreement_versions(app, slug, world)
    assert versions in ([1, 2], [1, 2, 3])
    with app.app_context():
        space = world.space_obj(slug)
        assert space.agreement_version == versions[-1]
        bodies = db.session.scalars(select(Agreement.body).where(
            Agreement.space_id == space.id, Agreement.version > 1)).all()
        assert sorted(bodies) in (["- Versie A"], ["- Versie B"], ["- Versie A", "- Versie B"])


def test_an_agreement_accepted_twice_at_once_is_accepted_once(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    for round_ in range(ROUNDS):
        with app.app_context():
            from app.spaces import agreements

            agreements.update_agreement(world.actor(lead.user_id), world.space_obj(slug),
                                        body=f"- Ronde {round_}")
        pairs = [client_for(app, member, f"/s/{slug}/agreement") for _ in range(2)]
        first, second = at_once(*(
            (lambda c=c, t=t: c.post(f"/s/{slug}/agreement", data={"csrf_token": t, "accept": "y"}))
            for c, t in pairs))
        assert first.status_code == second.status_code == 302
        with app.app_context():
            assert count(AgreementAcceptance, AgreementAcceptance.membership_id == member.membership_id) == round_ + 2
            assert db.session.get(Membership, member.membership_id).agreement_version == round_ + 2
