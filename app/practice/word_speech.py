"""A word said clearly, offline: espeak-ng speaks it once and the WAV is kept in the object store,
so every later request for the same word is a read, not a synthesis."""
from __future__ import annotations

import hashlib
import re
import subprocess
import tempfile
from pathlib import Path

from app.storage import exists, keys, storage
from app.system_programs import find_program

VOICE = "en-us"
SPEED = 120  # words a minute: slower than espeak's 175, as a teacher says a word to a child
# A word as a reading's marks spell it: letters with inner apostrophes or hyphens.
WORD = re.compile(r"^[a-z]+(?:['’-][a-z]+)*$")
MAX_WORD_LENGTH = 40


def clean_word(text: str) -> str | None:
    """*text* as a practice word (lower case, outer punctuation dropped), or None when it is not one."""
    word = (text or "").strip().strip(".,;:!?\"“”()").lower().replace("’", "'")
    return word if len(word) <= MAX_WORD_LENGTH and WORD.match(word) else None


def spoken_key(word: str) -> str:
    return keys.word_said(hashlib.sha256(f"{VOICE}:{SPEED}:{word}".encode()).hexdigest()[:32])


def said_clearly(word: str) -> str:
    """The object-store key of *word* spoken by espeak-ng, synthesised on first use.

    *word* must already be a clean_word (so the synthesiser is never given anything else).
    """
    key = spoken_key(word)
    store = storage()
    if not exists(store, key):
        store.write(key, _synthesise(word))
    return key


def _synthesise(word: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="podium-say-") as folder:
        out = Path(folder) / "word.wav"
        # A clean word starts with a letter, so espeak-ng never takes it for an option.
        subprocess.run([find_program("espeak-ng"), "-v", VOICE, "-s", str(SPEED), "-w", str(out), word],
                       check=True, capture_output=True, timeout=20)
        return out.read_bytes()
