"""Evaluation pages: the list, a new questionnaire, a member's own questionnaire (answer it
once, then see the own answers) and the facilitators' answers with the summary and CSV."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import policy
from app.errors import ServiceError
from app.evaluation import defaults, queries, service
from app.evaluation.export import answers_csv
from app.evaluation.forms import SendForm, answer_form
from app.evaluation.models import SCALE, SUMMARY_MINIMUM
from app.forms import show_error
from app.spaces.access import space_page

bp = Blueprint("evaluation", __name__)


@bp.get("/s/<slug>/evaluations")
@space_page
def index(space, actor):
    sent = queries.sent_questionnaires(actor, space) \
        if policy.can_review_evaluations(actor, space) else None
    return render_template("evaluation/index.html", space=space, sent=sent,
                           mine=queries.my_questionnaires(actor, space))


@bp.route("/s/<slug>/evaluations/new", methods=["GET", "POST"])
@space_page
def new(space, actor):
    choices = [("0", _("The whole group"))] + [
        (str(mid), name) for mid, name in queries.participants(actor, space)]  # 403 for others
    form = SendForm()
    form.to.choices = choices
    if form.validate_on_submit():
        to = form.to.data or ""
        try:
            questionnaire = service.send_questionnaire(
                actor, space, title=form.title.data, intro=form.intro.data or "",
                open_questions=form.open_questions.data or "",
                scale_questions=form.scale_questions.data or "",
                to=int(to) if to.isascii() and to.isdigit() and len(to) < 10 else -1)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("The questionnaire has been sent."), "info")
            return redirect(url_for("evaluation.results", slug=space.slug,
                                    questionnaire_id=questionnaire.id))
    elif request.method == "GET":
        form.title.data = defaults.default_title()
        form.intro.data = defaults.default_intro()
        form.open_questions.data = "\n".join(defaults.default_open_questions())
        form.scale_questions.data = "\n".join(defaults.default_scale_questions())
    return render_template("evaluation/new.html", space=space, form=form), \
        400 if form.errors else 200


@bp.route("/s/<slug>/evaluations/<id:questionnaire_id>", methods=["GET", "POST"])
@space_page
def answer(space, actor, questionnaire_id: int):
    own = queries.own_questionnaire(actor, space, questionnaire_id)  # 404 unless sent to me
    form = answer_form(own.questions, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        try:
            service.answer_questionnaire(actor, own.recipient, answers={
                name: field.data for name, field in form._fields.items()
                if name.startswith("q")})
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("Thank you. Your answers have been sent to the facilitators."), "info")
            return redirect(url_for("evaluation.answer", slug=space.slug,
                                    questionnaire_id=questionnaire_id))
    return render_template("evaluation/answer.html", space=space, own=own, form=form,
                           scale=SCALE), 400 if request.method == "POST" else 200


@bp.get("/s/<slug>/evaluations/<id:questionnaire_id>/results")
@space_page
def results(space, actor, questionnaire_id: int):
    found = queries.results(actor, space, questionnaire_id)  # 404 other space, 403 others
    return render_template("evaluation/results.html", space=space, found=found, scale=SCALE,
                           minimum=SUMMARY_MINIMUM)


@bp.get("/s/<slug>/evaluations/<id:questionnaire_id>/results.csv")
@space_page
def results_csv(space, actor, questionnaire_id: int):
    found = queries.results(actor, space, questionnaire_id)
    return Response(answers_csv(found), mimetype="text/csv", headers={
        "Content-Disposition":
            f'attachment; filename="evaluatie-{space.slug}-{questionnaire_id}.csv"'})
