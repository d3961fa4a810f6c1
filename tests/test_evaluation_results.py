"""What the facilitators get back from a questionnaire: the summary without names (only from
3 answers on), the CSV (formula injection neutralised) and a fixed number of statements."""
from __future__ import annotations

import csv
import io

from app.csv_cells import safe_cell
from app.extensions import db
from tests.conftest import QueryCounter, login
from tests.evaluation import answer, group, send  # noqa: F401


def test_summary_is_hidden_with_two_answers_and_shown_from_three(app, client, world, group):
    slug, p = group
    qid = send(world, slug, p["lead"])
    answer(client, p["anna"], slug, qid, {0: "Herkenning", 1: "5"})
    answer(client, p["bram"], slug, qid, {0: "Moed", 1: "3"})
    login(client, p["lead"])
    page = client.get(f"/s/{slug}/evaluations/{qid}/results").get_data(as_text=True)
    assert "zodra minstens 3 deelnemers" in page
    assert "Gemiddelde" not in page

    answer(client, p["cees"], slug, qid, {0: "Aandacht", 1: "4"})
    login(client, p["lead"])
    page = client.get(f"/s/{slug}/evaluations/{qid}/results").get_data(as_text=True)
    summary = page.split("Samenvatting zonder namen")[1].split("Antwoorden per deelnemer")[0]
    assert "Gemiddelde" in summary and "<td>4.0</td>" in summary
    # Without names, and in text order rather than the order people answered in.
    assert "Anna" not in summary and "Bram" not in summary
    assert summary.index("Aandacht") < summary.index("Herkenning") < summary.index("Moed")


# --- the CSV ---------------------------------------------------------------------------------

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"klik\")", "+31 6 1234", "-2+3", "@SUM(A1)",
           "  =1+1", "\t=tab"]


def test_csv_export_cannot_run_formulas(app, client, world, group):
    slug, p = group
    qid = send(world, slug, p["lead"], title="=cmd|' /C calc'!A0",
               open_questions="\n".join(f"Vraag {n}" for n in range(len(HOSTILE))),
               scale_questions="-Schaal")
    n = len(HOSTILE)
    answer(client, p["anna"], slug, qid, {**{i: v for i, v in enumerate(HOSTILE)}, n: "2"})
    login(client, p["lead"])
    response = client.get(f"/s/{slug}/evaluations/{qid}/results.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][-1] == "'-Schaal"
    row = rows[1]
    assert row[0] == "Anna"
    for cell, hostile in zip(row[2:], HOSTILE):
        assert cell == "'" + hostile.strip()  # answers are stored trimmed
    assert row[-1] == "2"
    for cell in (c for r in rows for c in r):
        assert cell.lstrip(" ")[:1] not in ("=", "+", "-", "@", "\t"), cell


def test_safe_cell_leaves_ordinary_text_alone():
    assert safe_cell("Gewoon een antwoord") == "Gewoon een antwoord"
    assert safe_cell(4) == "4"
    assert safe_cell("") == ""
    assert safe_cell(None) == ""
    assert safe_cell("=1") == "'=1"


# --- statement counts -----------------------------------------------------------------------

PINNED = {"list (facilitator)": 5, "list (member)": 4, "answer page": 6, "results": 8}


def _statements(app, client, path) -> int:
    client.get(path)
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        assert client.get(path).status_code == 200
    return counter.count


def test_evaluation_pages_take_a_fixed_number_of_statements(app, client, world, group):
    slug, p = group
    extra = [world.member(slug, p["lead"], name=f"Extra {n}") for n in range(6)]
    counts = []
    for rounds in (1, 3):
        qids = [send(world, slug, p["lead"], title=f"Ronde {n}") for n in range(rounds)]
        for person in [p["anna"], p["bram"], p["cees"], *extra][:3 * rounds]:
            answer(client, person, slug, qids[-1], {0: "Antwoord", 1: "3"})
        login(client, p["lead"])
        found = {"list (facilitator)": _statements(app, client, f"/s/{slug}/evaluations"),
                 "results": _statements(app, client, f"/s/{slug}/evaluations/{qids[-1]}/results")}
        login(client, p["anna"])
        found["list (member)"] = _statements(app, client, f"/s/{slug}/evaluations")
        found["answer page"] = _statements(app, client, f"/s/{slug}/evaluations/{qids[-1]}")
        counts.append(found)
    assert counts[0] == counts[1] == PINNED


def test_results_name_a_member_who_left_anonymously_as_oud_deelnemer(app, client, world, group):
    from app.database import utcnow
    from app.spaces.models import Membership

    slug, p = group
    qid = send(world, slug, p["lead"], to=p["anna"])
    answer(client, p["anna"], slug, qid, {0: "Herkenning", 1: "5"})
    with app.app_context():
        anna = db.session.get(Membership, p["anna"].membership_id)
        anna.ended_at, anna.anonymous_after_leaving = utcnow(), True
        db.session.commit()
    login(client, p["lead"])
    for path in (f"/s/{slug}/evaluations", f"/s/{slug}/evaluations/{qid}/results"):
        page = client.get(path).get_data(as_text=True)
        assert "Anna" not in page and "oud-deelnemer" in page
