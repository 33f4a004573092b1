"""Students a teacher should look at, each with the reasons: no practice, low scores, a falling score."""

from __future__ import annotations

from app.analysis.rounding import whole
from app.practice.figures import KIND_NOUNS

from .students import StudentFigures

LOW_SCORE, FALL_POINTS = 50.0, 10.0


def attention_list(figs: list[StudentFigures], summary: dict) -> list[dict]:
    """Students with the reasons a teacher should look: no practice, low scores, a falling score."""
    class_overall, class_pron = summary["scores"]["overall"]["mean"], summary["scores"]["pronunciation"]["mean"]
    out = []
    for f in figs:
        reasons = []
        if not f.rows:
            reasons.append({"code": "no_practice", "text": "Has not practised in this period."})
        if f.overall is not None and f.overall < LOW_SCORE:
            reasons.append(
                {"code": "low_score", "text": f"Average talk score {whole(f.overall)} (class {whole(class_overall)})."}
            )
        if f.pron is not None and f.pron < LOW_SCORE:
            reasons.append(
                {"code": "low_score", "text": f"Average reading score {whole(f.pron)} (class {whole(class_pron)})."}
            )
        # A falling score is the roster's trend (app/practice/figures.py), per kind.
        for kind in (f.figures.speech, f.figures.reading):
            if kind.trend_change is not None and kind.trend_change <= -FALL_POINTS:
                noun = KIND_NOUNS[kind.kind][0]
                reasons.append({
                    "code": "falling",
                    "text": f"Latest {noun} score {whole(kind.latest_score)} is {whole(-kind.trend_change)} points "
                            f"below {kind.compared_with}.",
                })
        if reasons:
            out.append({"id": f.student.id, "name": f.student.name, "reasons": reasons})
    return sorted(out, key=lambda a: (a["reasons"][0]["code"] == "no_practice", -len(a["reasons"]), a["name"]))
