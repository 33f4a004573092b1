"""What a class practises: its topics and passages, and its curriculum goals."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.guards import form_view, own_class_or_404, own_topic_or_404, teacher_required
from app.classes.services import teacher_class_or_none
from app.extensions import db

from .blueprint import bp
from .curriculum import RUBRIC_ROWS_MAX, CurriculumForm
from .forms import TopicForm, topic_form_class
from .library import offer_passages, passage_library
from .services import copy_topic, create_topic, save_curriculum, set_topic_active, topic_fields, update_topic


def _topic_form(form_class: type[TopicForm], **kwargs) -> TopicForm:
    """A speaking topic's form shows its timings, a reading passage's its library picker and due day."""
    form = form_class(**kwargs)
    offer_passages(form, fill=request.method == "POST")
    return form


def _render_topic_form(classroom, form: TopicForm, topic=None):
    return render_template("teacher/topic_form.html", classroom=classroom, form=form, topic=topic,
                           passages=passage_library() if "passage" in form else None)


@bp.route("/classes/<int:class_id>/topics/new", methods=["GET", "POST"])
@teacher_required
@form_view
def new_topic(class_id: int):
    classroom = own_class_or_404(class_id)
    kind = request.form.get("kind") or request.args.get("kind", "impromptu")
    form = _topic_form(topic_form_class(kind, request.form.get("passage")), kind=kind)
    if form.validate_on_submit():
        topic = create_topic(classroom, **topic_fields(form))
        db.session.commit()
        flash(f"“{topic.title}” is now set for {classroom.name}.", "success")
        return redirect(url_for("teacher.class_detail", class_id=classroom.id) + "#topics")
    return _render_topic_form(classroom, form)


@bp.route("/classes/<int:class_id>/topics/<int:topic_id>/edit", methods=["GET", "POST"])
@teacher_required
@form_view
def edit_topic(class_id: int, topic_id: int):
    classroom = own_class_or_404(class_id)
    topic = own_topic_or_404(classroom, topic_id)
    form = _topic_form(topic_form_class(topic.kind), obj=topic)
    form.kind.data = topic.kind  # a topic keeps its kind; the form is that kind's
    if form.validate_on_submit():
        update_topic(topic, **topic_fields(form))
        db.session.commit()
        flash(f"“{topic.title}” was updated.", "success")
        return redirect(url_for("teacher.class_detail", class_id=classroom.id) + "#topics")
    return _render_topic_form(classroom, form, topic)


@bp.route("/classes/<int:class_id>/topics/<int:topic_id>/active", methods=["POST"])
@teacher_required
def toggle_topic(class_id: int, topic_id: int):
    classroom = own_class_or_404(class_id)
    topic = own_topic_or_404(classroom, topic_id)
    set_topic_active(topic, request.form.get("active") == "1")
    db.session.commit()
    state = "active again" if topic.is_active else "deactivated; students no longer see it"
    flash(f"“{topic.title}” is {state}.", "success")
    return redirect(url_for("teacher.class_detail", class_id=classroom.id) + "#topics")


@bp.route("/classes/<int:class_id>/topics/<int:topic_id>/copy", methods=["POST"])
@teacher_required
def assign_topic(class_id: int, topic_id: int):
    classroom = own_class_or_404(class_id)
    topic = own_topic_or_404(classroom, topic_id)
    target_id = request.form.get("target_class_id", "")
    target = teacher_class_or_none(current_user, int(target_id)) if target_id.isdigit() else None
    if target is None:
        abort(404)
    copy_topic(topic, target)
    db.session.commit()
    flash(f"“{topic.title}” is now also set for {target.name}.", "success")
    return redirect(url_for("teacher.class_detail", class_id=classroom.id) + "#topics")


def _curriculum_form(classroom) -> CurriculumForm:
    goal = classroom.curriculum
    data = goal.to_json() if goal else {}
    data["vocabulary"] = "\n".join(data.get("vocabulary", []))
    form = CurriculumForm(data=data)
    # Without JavaScript there is no "add row" button, so a full rubric gets spare rows.
    while len(form.rubric.entries) < min(len(data.get("rubric", [])) + 2, RUBRIC_ROWS_MAX):
        form.rubric.append_entry()
    return form


@bp.route("/classes/<int:class_id>/curriculum", methods=["GET", "POST"])
@teacher_required
@form_view
def edit_curriculum(class_id: int):
    classroom = own_class_or_404(class_id)
    form = _curriculum_form(classroom) if request.method == "GET" else CurriculumForm()
    if form.validate_on_submit():
        save_curriculum(classroom, **form.goal_fields())
        db.session.commit()
        flash("Curriculum goals saved. New practice in this class is checked against them.", "success")
        return redirect(url_for("teacher.class_detail", class_id=classroom.id) + "#curriculum")
    return render_template("teacher/curriculum.html", classroom=classroom, form=form, rows_max=RUBRIC_ROWS_MAX)
