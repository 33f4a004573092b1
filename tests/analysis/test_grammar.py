"""Grammar evidence and common-error detection: positives with quotes, and near-miss negatives."""
from __future__ import annotations

import pytest

from app.analysis import grammar
from app.analysis.context import GRAMMAR_STRUCTURES


def counts(make_transcript, text: str) -> dict[str, int]:
    return {k: v["count"] for k, v in grammar.structure_evidence(make_transcript(text)).items()}


def test_every_structure_key_is_reported(make_transcript):
    ev = grammar.structure_evidence(make_transcript("Hello."))
    assert set(ev) == set(GRAMMAR_STRUCTURES)
    assert all(v["count"] == 0 and v["examples"] == [] for v in ev.values())


@pytest.mark.parametrize(
    "key,text",
    [
        ("past_simple", "Yesterday I went to the park."),
        ("past_simple", "We walked to school."),
        ("past_simple", "I did not like it."),
        ("present_perfect", "I have visited London."),
        ("present_perfect", "She has never seen snow."),
        ("present_perfect", "We've already eaten."),
        ("conditionals", "If it rains we will stay inside."),
        ("comparatives", "My dog is bigger than your cat."),
        ("comparatives", "It is the most exciting game."),
        ("comparatives", "This is the best day."),
        ("comparatives", "It was more interesting than the film."),
        ("linking_words", "I stayed home because it was cold."),
        ("linking_words", "However, I liked it."),
        ("future_forms", "I will visit my grandma."),
        ("future_forms", "We are going to play football."),
        ("modal_verbs", "You should try it."),
        ("modal_verbs", "I have to go now."),
        ("passive_voice", "The house was built by my grandfather."),
        ("passive_voice", "The window was broken."),
        ("passive_voice", "The cake was decorated by my sister."),
    ],
)
def test_structure_found(make_transcript, key, text):
    assert counts(make_transcript, text)[key] >= 1


@pytest.mark.parametrize(
    "key,text",
    [
        ("past_simple", "I walk to school."),
        ("present_perfect", "I have a dog."),
        ("conditionals", "He looked as if he was tired."),
        ("comparatives", "I drink water every day."),
        ("future_forms", "I am going to the park."),
        ("passive_voice", "I was tired after school."),
        ("passive_voice", "I was excited."),
        ("linking_words", "It was the first day."),
    ],
)
def test_structure_not_found(make_transcript, key, text):
    assert counts(make_transcript, text)[key] == 0


def test_examples_quote_and_time(make_transcript):
    t = make_transcript("I like cats. The house was built by my grandfather.")
    ex = grammar.structure_evidence(t)["passive_voice"]["examples"][0]
    assert ex["quote"] == "The house was built by my grandfather."
    assert ex["start"] == 2.0  # "was" is word 5 (from 0) -> 5 * 0.4 s
    assert ex["end"] == pytest.approx(2.75)  # "built" ends 6 * 0.4 + 0.35


def test_overlapping_hits_count_once(make_transcript):
    assert counts(make_transcript, "It was more better than before.")["comparatives"] == 1


@pytest.mark.parametrize(
    "text,kind,suggestion",
    [
        ("Every day he go to school.", "third_person_s", "he goes"),
        ("She like pizza.", "third_person_s", "she likes"),
        ("Yesterday I goed to the park.", "regularised_past", "went"),
        ("We runned fast.", "regularised_past", "ran"),
        ("I buyed a toy.", "regularised_past", "bought"),
        ("My cat is more better.", "double_comparative", "better"),
        ("It is the most biggest tree.", "double_comparative", "biggest"),
        ("I ate a apple.", "article", "an apple"),
        ("I saw an dog.", "article", "a dog"),
        ("I didn't went home.", "did_plus_past", "didn't go"),
        ("We did not saw it.", "did_plus_past", "didn't see"),
    ],
)
def test_common_errors_found(make_transcript, text, kind, suggestion):
    errors = grammar.common_errors(make_transcript(text))
    assert [(e["type"], e["suggestion"]) for e in errors] == [(kind, suggestion)]
    assert errors[0]["quote"] and errors[0]["start"] >= 0


@pytest.mark.parametrize(
    "text",
    [
        "Every day he goes to school.",
        "Can he go with us?",
        "Let it go.",
        "I went to the park.",
        "I need a new seed.",
        "My cat is better.",
        "I ate an apple.",
        "I wear a uniform.",
        "We waited an hour.",
        "I didn't go home.",
        "It is the biggest tree.",
    ],
)
def test_correct_sentences_have_no_errors(make_transcript, text):
    assert grammar.common_errors(make_transcript(text)) == []


def test_linking_words_used_distinct_in_order(make_transcript):
    t = make_transcript("First, I woke up. Then I ate because I was hungry. Because it was late, I ran.")
    assert grammar.linking_words_used(t) == ["first", "then", "because"]


def test_every_grammar_structure_a_teacher_can_choose_has_a_finder():
    from app.analysis.context import GRAMMAR_STRUCTURES
    from app.analysis.grammar import FINDERS

    assert set(FINDERS) == set(GRAMMAR_STRUCTURES)
