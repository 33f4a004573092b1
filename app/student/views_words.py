"""Practise my tricky words: the words missed in recent readings, one by one: hear each said
clearly, record it again, hear the attempt and see how it went."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from app.analysis.errors import AnalysisError
from app.auth.guards import own_word_attempt_or_404, student_required
from app.extensions import db
from app.http import wants_json
from app.practice.pronunciation_attempts import AttemptError, read_audio
from app.practice.tricky_words import DAYS_TO_LEARN, GOOD_WORD_SCORE, record_attempt, tricky_word, tricky_words
from app.practice.uploads import MIME_BY_FORMAT
from app.practice.word_speech import clean_word, said_clearly
from app.storage.serving import stored_file_response

from .blueprint import bp


@bp.route("/words")
@student_required
def tricky_words_page():
    words = tricky_words(current_user, include_learnt=True)
    return render_template("student/words.html", words=[w for w in words if not w.is_learnt],
                           learnt=[w for w in words if w.is_learnt], days_to_learn=DAYS_TO_LEARN)


def _word_or_404(word: str):
    cleaned = clean_word(word)
    found = tricky_word(current_user, cleaned) if cleaned else None
    if found is None:
        abort(404)
    return found


@bp.route("/words/<word>", methods=["GET", "POST"])
@student_required
def practise_word(word: str):
    tricky = _word_or_404(word)
    error = None
    if request.method == "POST":
        try:
            attempt = _record(tricky.word)
        except (AttemptError, AnalysisError) as exc:
            db.session.rollback()
            error = exc.message
            if wants_json():
                return jsonify({"error": "invalid", "message": error}), 400
        else:
            db.session.commit()
            if wants_json():
                return jsonify({"word": attempt.word, "score": attempt.score, "good": attempt.is_good,
                                "url": url_for("student.practise_word", word=attempt.word)})
            flash("Well said!" if attempt.is_good else "Keep going: listen again and have another try.",
                  "success" if attempt.is_good else "warning")
            return redirect(url_for("student.practise_word", word=attempt.word), 303)
        tricky = _word_or_404(word)
    words = [w.word for w in tricky_words(current_user)]
    following = next((w for w in words[words.index(tricky.word) + 1:]), None) if tricky.word in words else None
    return render_template("student/word.html", tricky=tricky, error=error, next_word=following,
                           good_score=GOOD_WORD_SCORE, days_to_learn=DAYS_TO_LEARN), 400 if error else 200


def _record(word: str):
    upload = request.files.get("audio")
    audio, kind = read_audio(upload.stream if upload else None, upload.filename if upload else None)
    return record_attempt(current_user, word, audio, kind, MIME_BY_FORMAT.get(kind))


@bp.route("/words/<word>/said")
@student_required
def word_said_clearly(word: str):
    return stored_file_response(said_clearly(_word_or_404(word).word), "audio/wav")


@bp.route("/words/attempts/<int:attempt_id>/audio")
@student_required
def word_attempt_audio(attempt_id: int):
    attempt = own_word_attempt_or_404(attempt_id)
    if not attempt.audio_key:
        abort(404)
    return stored_file_response(attempt.audio_key, attempt.audio_mime or "application/octet-stream")
