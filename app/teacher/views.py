"""The teacher's pages: the dashboard, a class with its roster, and the class's settings."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.analysis.context import GRAMMAR_STRUCTURES
from app.auth.guards import class_student_or_404, form_view, own_class_or_404, teacher_required
from app.classes import services as classes
from app.classes.assignments import completion_for_class
from app.dates import viewer_calendar
from app.extensions import db
from app.practice.tricky_words import class_hardest_words

from .blueprint import bp
from .forms import ClassForm, ClassSettingsForm
from .queries import class_cards, live_sessions, parse_sort, roster, sort_roster
from .reading_fluency import norms_for, reading_rows
from .services import update_class_settings


@bp.route("/")
@teacher_required
def dashboard():
    return render_template(
        "teacher/dashboard.html",
        cards=class_cards(current_user, viewer_calendar()),
        archived=class_cards(current_user, viewer_calendar(), archived=True),
        form=ClassForm(),
    )


@bp.route("/classes/new", methods=["GET", "POST"])
@teacher_required
@form_view
def create_class_view():
    form = ClassForm()
    if form.validate_on_submit():
        classroom = classes.create_class(current_user, form.name.data)
        db.session.commit()
        flash(f"Class created. Share the code {classroom.join_code} with your students.", "success")
        return redirect(url_for("teacher.class_detail", class_id=classroom.id))
    return render_template("teacher/class_new.html", form=form)


@bp.route("/classes/<int:class_id>")
@teacher_required
def class_detail(class_id: int):
    classroom = own_class_or_404(class_id)
    sort_key, descending = parse_sort(request.args.get("sort"))
    return render_template(
        "teacher/class_detail.html",
        classroom=classroom,
        rows=sort_roster(roster(classroom, viewer_calendar().week()), sort_key, descending),
        sort_key=sort_key,
        descending=descending,
        live=live_sessions(classroom, current_app.config),
        stuck_factor=current_app.config["LIVE_STUCK_FACTOR"],
        topics=sorted(classroom.topics, key=lambda t: (not t.is_active, -t.id)),
        completion=completion_for_class(classroom.id),
        reading_rows=reading_rows(classroom),
        reading_norms=norms_for(classroom),
        hardest_words=class_hardest_words(classroom.id),
        other_classes=[c for c in classes.classes_for(current_user) if c.id != classroom.id],
        grammar_labels=GRAMMAR_STRUCTURES,
    )


@bp.route("/classes/<int:class_id>/settings", methods=["GET", "POST"])
@teacher_required
@form_view
def class_settings(class_id: int):
    classroom = own_class_or_404(class_id)
    form = ClassSettingsForm(obj=classroom)
    if form.validate_on_submit():
        update_class_settings(
            classroom,
            name=form.name.data,
            inactive_after_days=form.inactive_after_days.data,
            strictness=form.pronunciation_strictness.data,
            reading_norms_grade=form.reading_norms_grade.data,
        )
        db.session.commit()
        flash("Class settings saved.", "success")
        return redirect(url_for("teacher.class_detail", class_id=classroom.id))
    return render_template("teacher/class_settings.html", classroom=classroom, form=form)


@bp.route("/classes/<int:class_id>/join-code", methods=["POST"])
@teacher_required
def regenerate_join_code(class_id: int):
    classroom = own_class_or_404(class_id)
    code = classes.regenerate_join_code(classroom)
    db.session.commit()
    flash(f"New join code: {code}. The old code no longer works.", "success")
    return redirect(url_for("teacher.class_detail", class_id=classroom.id))


@bp.route("/classes/<int:class_id>/archive", methods=["POST"])
@teacher_required
def archive_class(class_id: int):
    classroom = own_class_or_404(class_id)
    classes.archive_class(classroom)
    db.session.commit()
    flash(f"{classroom.name} was archived. Its history is kept, but you won't see practice its students do from "
          "now on. You can restore it.", "success")
    return redirect(url_for("teacher.dashboard"))


@bp.route("/classes/<int:class_id>/unarchive", methods=["POST"])
@teacher_required
def unarchive_class(class_id: int):
    classroom = own_class_or_404(class_id)
    classes.unarchive_class(classroom)
    db.session.commit()
    flash(f"{classroom.name} is active again.", "success")
    return redirect(url_for("teacher.class_detail", class_id=classroom.id))


@bp.route("/classes/<int:class_id>/students/<int:student_id>/remove", methods=["POST"])
@teacher_required
def remove_student(class_id: int, student_id: int):
    classroom = own_class_or_404(class_id)
    student = class_student_or_404(classroom, student_id)
    classes.remove_student(classroom, student.id)
    db.session.commit()
    flash(f"{student.name} was removed from {classroom.name}. Their past practice stays theirs.", "success")
    return redirect(url_for("teacher.class_detail", class_id=classroom.id))

