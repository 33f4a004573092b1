"""The offline assessor on real recordings, through the real aligner and Whisper.

Clips: speechocean762 (Zhang et al., Interspeech 2021, arXiv:2104.01378), released
under CC BY 4.0 by SpeechOcean and Xiaomi.
"""
from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from app.analysis.engines.base import AudioClip, pron_score
from app.analysis.errors import NoSpeech, ReadingMismatch
from tests.factories import app_config

from .conftest import ESPEAK_CLIP, read_clip


def ref_words(result):
    return [w for w in result.words if w.error_type != "Insertion"]


@pytest.mark.parametrize("key", ["child_difference", "child_tell_me", "adult_turned", "adult_world"])
def test_true_text_aligns_every_word_in_order_with_plausible_times(true_results, clips, key):
    audio, text = clips[key]
    words = ref_words(true_results[key])
    assert [w.word for w in words] == text.lower().split()
    for w in words:
        assert 0.05 <= w.duration <= 1.5, w
        assert 0.0 <= w.offset and w.offset + w.duration <= audio.duration + 0.01
        assert w.phonemes and all(p.start < p.end for p in w.phonemes)
    for a, b in pairwise(words):
        assert a.offset + a.duration <= b.offset + 1e-6  # ordered, no overlap
    assert all(w.error_type != "Omission" for w in words)


def test_true_text_of_a_clear_reader_scores_high(true_results):
    result = true_results["child_tell_me"]
    assert result.accuracy >= 85
    assert result.completeness == 100
    assert all(w.error_type == "None" for w in result.words)


@pytest.mark.parametrize("key,index", [("child_tell_me", 4), ("child_difference", 1), ("adult_turned", 1)])
def test_replaced_word_scores_lower_than_its_neighbours(assessor, clips, key, index):
    audio, text = clips[key]
    words = text.lower().split()
    words[index] = "garden"
    scored = ref_words(assessor.assess(audio, " ".join(words)))
    neighbours = [scored[i].accuracy for i in (index - 1, index + 1) if 0 <= i < len(scored)]
    assert scored[index].accuracy < min(neighbours) - 20
    assert scored[index].error_type in ("Mispronunciation", "Omission")


@pytest.mark.parametrize("key,index", [("child_tell_me", 3), ("child_difference", 2), ("adult_turned", 3)])
def test_word_added_to_the_text_is_an_omission(assessor, clips, key, index):
    audio, text = clips[key]
    words = text.lower().split()
    words.insert(index, "yellow")
    result = assessor.assess(audio, " ".join(words))
    scored = ref_words(result)
    assert scored[index].word == "yellow" and scored[index].error_type == "Omission"
    assert [w.error_type for i, w in enumerate(scored) if i != index].count("Omission") == 0
    assert result.completeness < 100


@pytest.mark.parametrize("key,index", [("child_tell_me", 4), ("child_difference", 1), ("adult_turned", 3)])
def test_word_removed_from_the_text_is_an_insertion_in_place(assessor, clips, key, index):
    audio, text = clips[key]
    words = text.lower().split()
    removed = words.pop(index)
    result = assessor.assess(audio, " ".join(words))
    kinds = [(w.word, w.error_type) for w in result.words]
    assert kinds[index] == (removed, "Insertion")
    assert sum(kind == "Insertion" for _, kind in kinds) == 1


@pytest.mark.parametrize("key", ["child_tell_me", "adult_world"])
def test_espeak_reading_of_another_sentence_is_a_mismatch(assessor, clips, key):
    audio = read_clip(ESPEAK_CLIP[0])
    with pytest.raises(ReadingMismatch) as err:
        assessor.assess(audio, clips[key][1])
    assert "couldn't match your reading" in err.value.message


def test_espeak_reading_of_its_own_sentence_is_not_a_mismatch(assessor):
    result = assessor.assess(read_clip(ESPEAK_CLIP[0]), ESPEAK_CLIP[1])
    assert result.completeness >= 80


def test_speaker_reading_a_different_clip_text_is_a_mismatch(assessor, clips):
    audio, _ = clips["child_tell_me"]
    with pytest.raises(ReadingMismatch):
        assessor.assess(audio, "The elephant carried heavy logs across the river yesterday afternoon")


@pytest.mark.parametrize("samples", [np.zeros(48_000, np.float32),
                                     np.random.default_rng(0).normal(0, 1e-4, 48_000).astype(np.float32)])
def test_silence_is_no_speech(assessor, samples):
    with pytest.raises(NoSpeech):
        assessor.assess(AudioClip(samples), "Tell me what you want me to do")


def test_gentle_never_scores_below_strict(assessor, clips):
    audio, text = clips["adult_world"]
    gentle = assessor.assess(audio, text, strictness="gentle")
    standard = assessor.assess(audio, text, strictness="standard")
    strict = assessor.assess(audio, text, strictness="strict")
    assert gentle.accuracy > standard.accuracy > strict.accuracy
    for g, s in zip(ref_words(gentle), ref_words(strict), strict=True):
        assert g.accuracy >= s.accuracy


def test_unknown_strictness_is_refused(assessor, clips):
    audio, text = clips["adult_turned"]
    with pytest.raises(ValueError):
        assessor.assess(audio, text, strictness="harsh")


def test_pron_score_is_azures_combination_of_the_four_scores(true_results):
    for result in true_results.values():
        expected = pron_score(result.accuracy, result.fluency, result.completeness, result.prosody)
        assert result.pron_score == pytest.approx(expected)
        assert 0 <= result.prosody <= 100 and 0 <= result.fluency <= 100


def test_json_has_azure_shape(true_results):
    data = true_results["adult_turned"].to_json()
    for key in ("AccuracyScore", "FluencyScore", "CompletenessScore", "ProsodyScore", "PronScore", "Words"):
        assert key in data
    word = data["Words"][0]
    assert set(word) >= {"Word", "Offset", "Duration", "AccuracyScore", "ErrorType", "Phonemes"}
    assert word["Phonemes"][0]["Phoneme"].isupper()


def test_word_missing_from_the_dictionary_is_scored_not_crashed(assessor, clips):
    audio, _ = clips["adult_turned"]
    result = assessor.assess(audio, "They all zorbled to me")
    assert "zorbled" in result.extras["words_not_in_dictionary"]
    assert [w.word for w in ref_words(result)] == ["they", "all", "zorbled", "to", "me"]


def test_scores_do_not_depend_on_what_was_analysed_before(assessor, clips, true_results):
    # pocketsphinx keeps feature-normalisation state between decodes unless reset.
    other_audio, other_text = clips["child_tell_me"]
    assessor.assess(other_audio, other_text)
    audio, text = clips["adult_world"]
    again = assessor.assess(audio, text)
    assert again.to_json() == true_results["adult_world"].to_json()


def test_assess_pronunciation_end_to_end_from_a_wav_file():
    from app.analysis.pronunciation import assess_pronunciation

    from .conftest import CLIPS, DATA

    name, text = CLIPS["child_tell_me"]
    data = assess_pronunciation(DATA / name, "Tell me what you want me to do!", app_config())
    assert data["ReferenceText"] == "Tell me what you want me to do!"
    assert [w["Word"] for w in data["Words"]] == text.lower().split()
    assert data["Engine"].startswith("local:") and 0 < data["PronScore"] <= 100
