"""Goodness of pronunciation (GOP) per phone and its mapping to 0-100.

Evidence per phone, all from the same frames of audio:
  * llr: forced-alignment acoustic score per frame. pocketsphinx scores every frame
    relative to the best-scoring senone of that frame, so this is already a
    log-likelihood ratio against "the best any sound could do here";
  * agree: share of the phone's frames where an unconstrained phone loop (allphone
    decode) picked the same phone;
  * heard: how far what the speech recogniser heard supports the word this phone
    belongs to (1 = heard exactly; see local_pronunciation.heard_likeness).
Calibrated on half of the speakers of speechocean762 (see docs/pronunciation.md).
Pure functions, thread-safe.
"""
from __future__ import annotations

import math
from typing import Iterable

import numpy as np

from .pron_align import PhoneSeg

# Mean llr per frame of each phone on true texts (calibration speakers). Phones
# differ in how well the model fits them at all; subtracting the phone's own mean
# stops a hard-to-model phone (L, V) always looking mispronounced.
PHONE_MEAN: dict[str, float] = {
    "AA": -18.7, "AE": -14.0, "AH": -26.5, "AO": -26.4, "AW": -18.0, "AY": -19.2,
    "B": -25.3, "CH": -13.3, "D": -26.8, "DH": -25.5, "EH": -22.3, "ER": -30.1,
    "EY": -19.0, "F": -20.1, "G": -25.2, "HH": -18.8, "IH": -27.3, "IY": -18.0,
    "JH": -26.9, "K": -23.3, "L": -37.0, "M": -23.7, "N": -22.8, "NG": -26.5,
    "OW": -15.4, "OY": -18.0, "P": -25.9, "R": -30.7, "S": -17.8, "SH": -13.3,
    "T": -25.8, "TH": -22.6, "UH": -34.5, "UW": -20.9, "V": -33.0, "W": -22.2,
    "Y": -18.6, "Z": -24.2,
}
GLOBAL_MEAN = -23.9
LLR_SCALE = 40.0  # llr units (~0.1 nat each) at which the log compression bends
LOOP_WEIGHT = 1.0
HEARD_WEIGHT = 1.5

# Logistic curve from GOP to 0-100. The centre is the GOP that scores 50; a
# gentler curve moves the centre down so a child's accent costs less. The gentle
# centre keeps the mean word accuracy on the calibration speakers' true texts
# where it was before LLR_SCALE, HEARD_WEIGHT and the graded "heard" changed (83.4 / 100).
CURVE_SLOPE = 3.0
CURVE_CENTRE = {"gentle": 0.31, "standard": 0.56, "strict": 0.86}


def phone_gop(phone: PhoneSeg, loop: np.ndarray, heard: float) -> float:
    """GOP of one aligned phone; higher is better (about 2.5 for a clear phone in a word heard exactly)."""
    frames = max(phone.frames, 1)
    llr = phone.score / frames - PHONE_MEAN.get(phone.phone, GLOBAL_MEAN) + GLOBAL_MEAN
    # Log compression: a phone 10x worse than typical is not 10x more wrong to a listener.
    fit = -math.log1p(max(0.0, -llr) / LLR_SCALE)
    span = loop[phone.start: phone.start + frames]
    agree = float(np.mean(span == phone.phone)) if len(span) else 0.0
    return fit + LOOP_WEIGHT * agree + HEARD_WEIGHT * heard


def gop_to_score(gop: float, strictness: str = "gentle") -> float:
    """Map a GOP to 0..100 (monotone increasing; stricter levels never score higher)."""
    z = CURVE_SLOPE * (gop - CURVE_CENTRE[strictness])
    return 100.0 / (1.0 + math.exp(-z))


def mean_score(scores: Iterable[float]) -> float:
    """Mean of scores, 0 for none."""
    values = list(scores)
    return float(sum(values) / len(values)) if values else 0.0
