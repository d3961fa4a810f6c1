"""The answers of one questionnaire as CSV, for the facilitators' own records: one row per
member who answered, one column per question. Cells a spreadsheet would run as a formula
start with an apostrophe."""
from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from app.dates import format_sortable_moment
from app.evaluation.queries import Results

from app.csv_cells import safe_cell


def answers_csv(found: Results) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(v) for v in (
        _("Member"), _("Answered on"), *(q.prompt for q in found.questions))])
    for respondent in found.respondents:
        if respondent.answered_at is None:
            continue
        cells = [respondent.name, format_sortable_moment(respondent.answered_at)]
        for question in found.questions:
            answer = respondent.answers.get(question.id)
            if answer is None:
                cells.append("")
            else:
                cells.append(answer.score if answer.score is not None else answer.text)
        writer.writerow([safe_cell(v) for v in cells])
    return out.getvalue()
