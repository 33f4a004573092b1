"""Word error rate of the local speech engine on speechocean762 (read speech).

Usage (from the repo root):
    .venv/bin/python bench/asr_wer.py [--model tiny.en|base] [--beam 1] [--prompt|--no-prompt]
        [--no-vad] [--no-fallback] [--logprob -1.0] [--token-cap 10] [--condition]
        [--every K] [--limit N] [--join-seconds 60] [--errors FILE] [--spread]

Defaults are the app's defaults (base, greedy, filler prompt, VAD
chunking, temperature fallback on repetition loops only, 10 tokens/s cap).

Reads /work/shared/data/speechocean762-dev (wav/, text, utt2spk, spk2age); prints
WER overall and split children (age <= 12) / adults, and the real-time factor.
The reference text is never given to the engine (no hints). ``--spread`` also prints
where the errors are: the share held by utterances with WER >= 0.5 and by the fifth of
speakers with the highest WER, and the WER without those speakers.
Both sides go through ``normalize`` before scoring (see its docstring).
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CORPUS = Path("/work/shared/data/speechocean762-dev")

# --- text normalisation -----------------------------------------------------

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
         "seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINAL_SUFFIX = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
                   "nine": "ninth", "twelve": "twelfth"}

# British -> American spellings that occur in school speech; Whisper writes
# either, the references use American.
_SPELLING = {
    "colour": "color", "colours": "colors", "favourite": "favorite", "favourites": "favorites",
    "centre": "center", "theatre": "theater", "metre": "meter", "metres": "meters",
    "realise": "realize", "realised": "realized", "organise": "organize", "organised": "organized",
    "travelled": "traveled", "travelling": "traveling", "grey": "gray", "neighbour": "neighbor",
    "neighbours": "neighbors", "honour": "honor", "humour": "humor", "behaviour": "behavior",
    "flavour": "flavor", "labour": "labor", "programme": "program", "practise": "practice",
    "cheque": "check", "mum": "mom", "okay": "ok", "o'clock": "oclock", "mr": "mister",
    "mrs": "missus", "dr": "doctor", "st": "saint",
}
_CONTRACTIONS = [
    (r"\bwon't\b", "will not"), (r"\bcan't\b", "can not"), (r"\bcannot\b", "can not"),
    (r"\bain't\b", "is not"), (r"\blet's\b", "let us"), (r"n't\b", " not"), (r"'re\b", " are"),
    (r"'m\b", " am"), (r"'ll\b", " will"), (r"'ve\b", " have"), (r"'d\b", " would"),
]
# Dropped from both sides: the references of read speech never contain them, and
# filler accuracy is measured separately (bench/filler_recall.py).
FILLER_RE = re.compile(r"^(u+h+m*|u+m+|h+m+|e+r+m*|a+h+|m+h*m+)$")


def is_filler(word: str) -> bool:
    """True for hesitation sounds however Whisper spells them (um, ummm, uhh, erm, hmm...)."""
    return bool(FILLER_RE.match(word.lower().strip(".,!?'\"")))


def number_to_words(n: int) -> str:
    """Spell out 0 <= n < 1,000,000 the way a reference transcript would."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " " + number_to_words(rest))
    if n < 1_000_000:
        rest = n % 1000
        return number_to_words(n // 1000) + " thousand" + ("" if rest == 0 else " " + number_to_words(rest))
    return str(n)


def _spell_number(match: re.Match) -> str:
    digits, suffix = match.group(1).replace(",", ""), match.group(2)
    n = int(digits)
    is_year = 1100 <= n <= 2099
    if (len(digits) > 1 and digits.startswith("0")) or len(digits) > 6 or (
        len(digits) >= 4 and not is_year and n % 100 != 0 and not suffix
    ):
        # Codes and phone numbers are read digit by digit: 8062 -> eight zero six two.
        return " " + " ".join(_ONES[int(d)] for d in digits) + " "
    if is_year and n % 100 >= 10 and not suffix:
        # Years are read in pairs: 1984 -> nineteen eighty four.
        words = number_to_words(n // 100) + " " + number_to_words(n % 100)
    else:
        words = number_to_words(n)
    if suffix:
        last = words.split()[-1]
        ordinal = _ORDINAL_SUFFIX.get(last) or (last[:-1] + "ieth" if last.endswith("y") else last + "th")
        words = " ".join(words.split()[:-1] + [ordinal])
    return " " + words + " "


def normalize(text: str) -> str:
    """Lower-case words only: numbers spelled out, contractions expanded,
    British spellings made American, hyphens split, punctuation and fillers removed."""
    s = text.lower().replace("’", "'").replace("&", " and ").replace("%", " percent")
    s = re.sub(r"(\d[\d,]*)(st|nd|rd|th)?\b", _spell_number, s)
    for pattern, repl in _CONTRACTIONS:
        s = re.sub(pattern, repl, s)
    s = re.sub(r"[-_/]", " ", s)
    s = re.sub(r"[^a-z' ]", " ", s)
    words = []
    for w in s.split():
        w = w.strip("'")
        w = _SPELLING.get(w, w)
        if w and not is_filler(w):
            words.append(w.replace("'", ""))
    return " ".join(words)


# --- corpus -----------------------------------------------------------------


def load_corpus(root: Path = CORPUS) -> list[tuple[str, str, int]]:
    """(utterance id, reference text, speaker age) for every utterance, sorted by id."""
    text = dict(line.rstrip("\n").split("\t", 1) for line in open(root / "text"))
    spk = dict(line.split() for line in open(root / "utt2spk"))
    age = {s: int(a) for s, a in (line.split() for line in open(root / "spk2age"))}
    return [(u, text[u], age[spk[u]]) for u in sorted(text)]


def load_wav(path: Path):
    from app.analysis.audio import decode_audio
    from app.config import Config

    return decode_audio(path, max_seconds=Config.ANALYSIS_MAX_SECONDS, max_bytes=Config.ANALYSIS_MAX_BYTES)


def joined_recordings(corpus, seconds: float, gap: float = 0.5):
    """Consecutive utterances (mostly one speaker: ids start with the speaker) joined with
    *gap* seconds of silence into recordings of at most *seconds*, like a minute of talk.

    Yields (id, reference text, age of the first speaker, clip).
    """
    import numpy as np

    from app.analysis.engines.base import AudioClip

    group: list = []

    def flush():
        silence = np.zeros(int(gap * 16_000), np.float32)
        samples = np.concatenate([part for _, _, _, c in group for part in (c.samples, silence)])
        name = f"{group[0][0]}+{len(group) - 1}"
        return (name, " ".join(g[1] for g in group), group[0][2], AudioClip(samples, 16_000))

    total = 0.0
    for utt, ref, age in corpus:
        clip = load_wav(CORPUS / "wav" / f"{utt}.wav")
        if group and total + clip.duration + gap > seconds:
            yield flush()
            group, total = [], 0.0
        group.append((utt, ref, age, clip))
        total += clip.duration + gap
    if group:
        yield flush()


def error_spread(rows, utt2spk: dict[str, str]) -> str:
    """Where the word errors are: badly recognised utterances, and the weakest speakers.

    *rows* are (utterance id, age, normalised reference, normalised hypothesis, ...).
    """
    import jiwer

    words = errors = 0
    bad_errors: list[int] = []  # errors of each recording with WER >= 0.5
    by_speaker: dict[str, list[int]] = {}  # speaker -> [words, errors, age]
    for utt, age, ref, hyp, *_ in rows:
        out = jiwer.process_words(ref, hyp or "<empty>")
        n, e = len(ref.split()), out.substitutions + out.deletions + out.insertions
        words, errors = words + n, errors + e
        if e >= 0.5 * n:
            bad_errors.append(e)
        totals = by_speaker.setdefault(utt2spk[utt.split("+")[0]], [0, 0, age])
        totals[0] += n
        totals[1] += e
    ranked = sorted(by_speaker.values(), key=lambda t: t[1] / t[0], reverse=True)
    worst = ranked[: max(1, len(ranked) // 5)]
    worst_children = sum(t[2] <= 12 for t in worst)
    worst_words, worst_errors = sum(t[0] for t in worst), sum(t[1] for t in worst)
    rest = (errors - worst_errors) / max(1, words - worst_words)
    return (
        f"recordings with WER>=0.5: {len(bad_errors)}/{len(rows)} hold {sum(bad_errors)}/{errors} errors; "
        f"worst fifth of speakers ({len(worst)}/{len(ranked)}, {worst_children} of them children) "
        f"hold {worst_errors}/{errors} errors; "
        f"WER without them={rest:.3f}"
    )


def make_engine(args):
    from app.analysis.engines.local.transcription import LocalWhisperEngine

    engine = LocalWhisperEngine(model=args.model)
    changes = dict(
        beam_size=args.beam,
        filler_prompt=args.prompt,
        vad_chunking=args.vad,
        condition_on_previous_text=args.condition,
        log_prob_threshold=args.logprob if args.logprob != 0 else None,
        max_tokens_per_second=args.token_cap or None,
    )
    if not args.fallback:
        changes["temperature"] = 0.0
    return engine.with_options(**changes)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="base", choices=["tiny.en", "base"])
    p.add_argument("--beam", type=int, default=1)
    p.add_argument("--prompt", dest="prompt", action="store_true", default=True)
    p.add_argument("--no-prompt", dest="prompt", action="store_false")
    p.add_argument("--no-vad", dest="vad", action="store_false", default=True, help="one window, no VAD chunking")
    p.add_argument("--fallback", dest="fallback", action="store_true", default=True,
                   help="temperature fallback 0.0..1.0 (default)")
    p.add_argument("--no-fallback", dest="fallback", action="store_false", help="greedy/beam at temperature 0 only")
    p.add_argument("--logprob", type=float, default=0.0,
                   help="also re-decode below this avg log-prob, e.g. -1.0; 0 = off, loops only (default)")
    p.add_argument("--token-cap", type=float, default=10.0, help="max new tokens per audio second; 0 = off")
    p.add_argument("--condition", action="store_true", help="condition_on_previous_text")
    p.add_argument("--limit", type=int, default=0, help="first N utterances (0 = all 500)")
    p.add_argument("--every", type=int, default=1, help="every K-th utterance (a subset spread over all speakers)")
    p.add_argument("--join-seconds", type=float, default=0.0,
                   help="join consecutive utterances into recordings of up to this many seconds (0 = one each)")
    p.add_argument("--errors", help="write utt/ref/hyp lines with errors to this file")
    p.add_argument("--spread", action="store_true", help="also print where the errors are (see above)")
    args = p.parse_args()

    import jiwer

    corpus = load_corpus()[:: args.every]
    if args.limit:
        corpus = corpus[: args.limit]
    engine = make_engine(args)
    t0 = time.perf_counter()
    engine.load()
    load_s = time.perf_counter() - t0

    rows = []
    wall = cpu = audio_s = 0.0
    if args.join_seconds:
        recordings = joined_recordings(corpus, args.join_seconds)
    else:
        recordings = ((utt, ref, age, load_wav(CORPUS / "wav" / f"{utt}.wav")) for utt, ref, age in corpus)
    for utt, ref, age, clip in recordings:
        t, c = time.perf_counter(), time.process_time()
        hyp = engine.transcribe(clip).text
        wall += time.perf_counter() - t
        cpu += time.process_time() - c
        audio_s += clip.duration
        rows.append((utt, age, normalize(ref), normalize(hyp), hyp))

    def wer(sel):
        sel = list(sel)
        if not sel:
            return float("nan")
        return jiwer.wer([r[2] for r in sel], [r[3] or "<empty>" for r in sel])

    kids = [r for r in rows if r[1] <= 12]
    adults = [r for r in rows if r[1] > 12]
    print(
        f"model={args.model} beam={args.beam} prompt={args.prompt} vad={args.vad} "
        f"fallback={args.fallback} logprob={args.logprob} token_cap={args.token_cap} condition={args.condition} "
        f"every={args.every} join_seconds={args.join_seconds} n={len(rows)}"
    )
    print(
        f"WER all={wer(rows):.3f}  children(<=12, n={len(kids)})={wer(kids):.3f}  "
        f"adults(n={len(adults)})={wer(adults):.3f}  RTF={wall / audio_s:.3f} cpu-RTF={cpu / audio_s:.3f}  "
        f"audio={audio_s:.0f}s wall={wall:.0f}s load={load_s:.1f}s"
    )
    if args.spread:
        utt2spk = dict(line.split() for line in open(CORPUS / "utt2spk"))
        print(error_spread(rows, utt2spk))
    if args.errors:
        with open(args.errors, "w") as f:
            for utt, age, ref, hyp, raw in rows:
                if ref != hyp:
                    f.write(f"{utt}\t{age}\tREF: {ref}\n\t\tHYP: {hyp}\n\t\tRAW: {raw}\n")


if __name__ == "__main__":
    main()
