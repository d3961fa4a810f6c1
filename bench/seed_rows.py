"""The rows of the large seed (bench/seed_large.py): which spaces, people, conversations,
posts, reactions and notifications there are, each row a copy of one the services wrote
(bench/bulk.py writes them)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from app.spaces.names import name_key

BODIES = [
    "Ik heb deze week eindelijk mijn **post** gesorteerd. Drie stapels: betalen, bewaren, weg.",
    "Herkenbaar! Bij mij helpt het om elke zondag tien minuten te kijken wat er binnenkwam.\n\n"
    "- rekeningen\n- brieven van de gemeente\n- de rest",
    "Mag ik vragen hoe jullie met *aanmaningen* omgaan? Ik schrik er altijd zo van.",
    "> Ik schrik er altijd zo van.\n\nDat had ik ook. Bellen helpt, ze denken vaak mee over "
    "een regeling.",
    "Tip van de schuldhulpverlening: maak een lijstje met vaste lasten en zet het op de koelkast.",
    "Dank jullie wel, ik ga het proberen. Volgende week vertel ik hoe het ging.",
]
KINDS = ("support", "thanks", "recognise", "strong", "laugh")
UNREAD = 150  # the reader's newest notifications left unread: the header says "99+"


def _bodies() -> list[tuple[str, str]]:
    """(Markdown, HTML) of each body; a post's own line "(bericht N)" is appended to both,
    checked here against the real renderer."""
    from app.text import render_or_refuse

    pairs = [(body, render_or_refuse(body)) for body in BODIES]
    for body, html in pairs:
        assert render_or_refuse(body + "\n\n(bericht 7)") == html + "<p>(bericht 7)</p>\n"
    return pairs


class BulkRows:
    """Everything after the services' rows, in bulk, in the order the foreign keys need."""

    def __init__(self, w, ids: dict, size: dict):
        self.w, self.ids, self.size, self.when = w, ids, size, w.when
        self.start = datetime.now(timezone.utc) - timedelta(days=365)
        self.big = ids["space"]
        self.t = {name: w.template(name, ids[key]) for name, key in (
            ("spaces", "space"), ("users", "reader_user"), ("memberships", "reader"),
            ("agreement_acceptances", "acceptance"), ("agreements", "agreement"),
            ("threads", "thread"), ("posts", "post"), ("reactions", "reaction"),
            ("read_states", "read_state"), ("notifications", "notification"),
            ("library_items", "library"), ("uploads", "upload"))}
        self.members_of: dict[int, list[int]] = {self.big: [ids["lead"], ids["reader"]]}

    def people(self, spaces: int) -> list[int]:
        """Spaces with their agreements, accounts and members (each space's first member
        leads it; "groot" has its facilitator and reader already). Returns the space ids."""
        w, t, big = self.w, self.t, self.big
        first = w.next_id("spaces")
        space_ids = [big, *range(first, first + spaces - 1)]
        w.write("spaces", t["spaces"], ("id", "slug", "name"),
                ((s, f"groep-{s}", f"Groep {s}") for s in space_ids[1:]), spaces - 1)
        first = w.next_id("agreements")
        agreement_of = {big: self.ids["agreement"],
                        **{s: first + n for n, s in enumerate(space_ids[1:])}}
        w.write("agreements", t["agreements"], ("id", "space_id"),
                ((agreement_of[s], s) for s in space_ids[1:]), spaces - 1)
        per_space = [(big, self.size["big_members"] - 2)] + [
            (s, self.size["members_each"]) for s in space_ids[1:]]
        total = sum(n for _s, n in per_space)
        user0, member0 = w.next_id("users"), w.next_id("memberships")
        w.write("users", t["users"], ("id", "email"),
                ((user0 + n, f"lid{user0 + n}@example.org") for n in range(total)), total)
        rows = []
        for space_id, count in per_space:
            for k in range(count):
                n, name = len(rows), f"Deelnemer {len(rows)}"
                role = "facilitator" if space_id != big and k == 0 else "member"
                rows.append((member0 + n, space_id, user0 + n, role, name, name_key(name)))
                self.members_of.setdefault(space_id, []).append(member0 + n)
        w.write("memberships", t["memberships"],
                ("id", "space_id", "user_id", "role", "display_name", "name_key"), rows, total)
        first = w.next_id("agreement_acceptances")
        w.write("agreement_acceptances", t["agreement_acceptances"],
                ("id", "space_id", "membership_id", "agreement_id"),
                ((first + k, r[1], r[0], agreement_of[r[1]]) for k, r in enumerate(rows)),
                total, label="acceptances")
        return space_ids

    def conversations(self, space_ids: list[int], posts: int) -> None:
        """In "groot" the long one, the normal one, then many short ones; the other spaces
        share the remaining posts in conversations of twenty. Then their posts."""
        size, big, when = self.size, self.big, self.when
        specs = [(big, size["long"]), (big, size["normal"])]
        specs += [(big, size["big_posts_each"])] * (size["big_threads"] - 2)
        rest, others = max(0, posts - sum(n for _s, n in specs) - 2), len(space_ids) - 1
        for k, space_id in enumerate(space_ids[1:]):
            share = rest // others + (1 if k < rest % others else 0)
            specs += [(space_id, 20)] * (share // 20) + ([(space_id, share % 20)] if share % 20 else [])
        self.specs, self.thread0 = specs, self.w.next_id("threads")
        self.step = timedelta(seconds=365 * 86400 / max(1, len(specs)))
        rows, self.first_post, post_id = [], [], self.w.next_id("posts")
        for k, (space_id, count) in enumerate(specs):
            opened, people = self.start + k * self.step, self.members_of[space_id]
            rows.append((self.thread0 + k, space_id, people[k % len(people)], f"Gesprek {k}",
                         when(opened), when(opened + timedelta(minutes=count - 1)), count))
            self.first_post.append(post_id)
            post_id += count
        self.w.write("threads", self.t["threads"], ("id", "space_id", "author_id", "title",
                                                    "created_at", "last_post_at", "post_count"),
                     rows, len(specs))
        self.posts = post_id - self.first_post[0]
        self.w.write("posts", self.t["posts"], ("id", "space_id", "thread_id", "number",
                                                "author_id", "body", "body_html", "created_at"),
                     self._post_rows(), self.posts)

    def _post_rows(self):
        bodies = _bodies()
        for k, (space_id, count) in enumerate(self.specs):
            people, opened = self.members_of[space_id], self.start + k * self.step
            for number in range(1, count + 1):
                body, html = bodies[(k + number) % len(bodies)]
                yield (self.first_post[k] + number - 1, space_id, self.thread0 + k, number,
                       people[(k + number) % len(people)], f"{body}\n\n(bericht {number})",
                       f"{html}<p>(bericht {number})</p>\n",
                       self.when(opened + timedelta(minutes=number - 1)))

    def reactions(self) -> int:
        """A third of the posts, 1 to 3 reactions each, from different members."""
        def rows():
            rid = self.w.next_id("reactions")
            for k, (space_id, count) in enumerate(self.specs):
                people = self.members_of[space_id]
                for number in range(1, count + 1, 3):
                    for r in range(1 + (k + number) % 3):
                        yield (rid, space_id, self.first_post[k] + number - 1,
                               people[(k + number + r + 1) % len(people)], KINDS[(number + r) % 5])
                        rid += 1
        total = sum(1 + (k + n) % 3 for k, (_s, c) in enumerate(self.specs)
                    for n in range(1, c + 1, 3))
        self.w.write("reactions", self.t["reactions"],
                     ("id", "space_id", "post_id", "membership_id", "kind"), rows(), total)
        return total

    def reader(self) -> int:
        """The reader has read every other conversation of "groot" (the tabs count the
        rest) and has notifications about replies there, all but the newest UNREAD read
        (and mailed: the worker has nothing to send)."""
        big, when, count = self.big, self.when, self.size["notifications"]
        mine = [k for k, (s, _c) in enumerate(self.specs) if s == big]
        first = self.w.next_id("read_states")
        self.w.write("read_states", self.t["read_states"],
                     ("id", "space_id", "thread_id", "membership_id", "last_read_number"),
                     ((first + n, big, self.thread0 + k, self.ids["reader"], self.specs[k][1])
                      for n, k in enumerate(mine[1::2])), len(mine[1::2]), label="read states")
        first, seen = self.w.next_id("notifications"), when(self.start + timedelta(days=365))

        def rows():
            for n in range(count):
                k = mine[n % len(mine)]
                at = when(self.start + timedelta(seconds=n * 365 * 86400 / count))
                yield (first + n, big, self.ids["reader_user"], self.ids["reader"], "reply",
                       self.thread0 + k, self.first_post[k], self.ids["lead"], at,
                       None if n >= count - UNREAD else seen, at)
        self.w.write("notifications", self.t["notifications"],
                     ("id", "space_id", "user_id", "membership_id", "kind", "thread_id",
                      "post_id", "about_id", "created_at", "read_at", "mailed_at"), rows(), count)
        return count

    def uploads(self) -> int:
        """A worksheet on one post in ten (the fifth, fifteenth, ...), by its author."""
        def rows():
            uid = self.w.next_id("uploads")
            for k, (space_id, count) in enumerate(self.specs):
                people = self.members_of[space_id]
                for number in range(5, count + 1, 10):
                    yield (uid, space_id, people[(k + number) % len(people)],
                           self.first_post[k] + number - 1, f"werkblad-{uid}.pdf", f"seed-{uid}",
                           self.when(self.start + k * self.step + timedelta(minutes=number - 1)))
                    uid += 1
        total = sum(len(range(5, c + 1, 10)) for _s, c in self.specs)
        self.w.write("uploads", self.t["uploads"], ("id", "space_id", "uploader_id", "post_id",
                                                    "original_name", "storage_key", "created_at"),
                     rows(), total, label="files")
        return total

    def library(self) -> None:
        first, count = self.w.next_id("library_items"), self.size["library"]
        self.w.write("library_items", self.t["library_items"], ("id", "title", "url", "created_at"),
                     ((first + n, f"Materiaal {n}", f"https://example.org/m/{n}",
                       self.when(self.start + timedelta(hours=n))) for n in range(count)),
                     count, label="library")
