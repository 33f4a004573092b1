"""A report as plain text for a terminal (``flask analyze``): scores, key metrics, feedback."""
from __future__ import annotations

from .feedback.local import mmss
from .rounding import whole


def render_text(report: dict) -> str:
    """The report as plain text for a terminal: scores, key metrics, feedback."""
    m, s, f = report["metrics"], report["scores"], report["feedback"]
    lines = [f"Topic: {report['task']['title']}", f"Transcript: {report['transcript']}", "", "Scores (0-100):"]
    lines += [
        f"  {k:<11} {s[k]['score']:>3}"
        for k in ("overall", "fluency", "vocabulary", "grammar", "relevance", "structure")
    ]
    lines += [
        "",
        "Metrics:",
        f"  words {m['word_count']}, speaking {m['speech_span']:.1f} s, {whole(m['words_per_minute'])} words/min",
        f"  pauses {m['pause_count']} (over 1 s: {m['long_pause_count']}, longest {m['longest_pause']:.1f} s)",
        f"  fillers {m['filler_count']} ({m['fillers_per_100_words']:.1f} per 100 words)",
        f"  lexical diversity (MTLD) {whole(m['mtld'])}, approx. level {m['approx_level'] or '-'}",
        "",
        f"Summary: {f['summary']}",
        "",
        "Strengths:",
    ]
    lines += [_point(p) for p in f["strengths"]] + ["", "To improve:"]
    lines += [_point(p) for p in f["improvements"]] + ["", "Next steps:"]
    lines += [f"  - {step}" for step in f["next_steps"]]
    if f["curriculum"]:
        lines += ["", "Curriculum:"] + [f"  - {c}" for c in f["curriculum"]]
    lines += ["", f"Engines: speech {report['engine']['asr']}, feedback {report['engine']['writer']}"]
    return "\n".join(lines)


def _point(p: dict) -> str:
    where = f" [{mmss(p['start'])}" + (f' "{p["quote"]}"' if p["quote"] else "") + "]" if p["start"] is not None else ""
    return f"  - {p['text']}{where}"
