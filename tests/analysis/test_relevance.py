"""Lexical topic relevance: on-topic speech scores higher than off-topic, with the words that showed it."""
from __future__ import annotations

import pytest

from app.analysis import relevance

PROMPT = "Talk about your favourite animal. Why do you like it?"
ON_TOPIC = (
    "My favourite animal is the dog. Dogs are friendly and my dog loves to play. "
    "I walk my dog every day and I feed him. Animals make people happy."
)
RELATED_ONLY = "I have a cat and a rabbit. My pet rabbit eats carrots and my cat sleeps all day."
OFF_TOPIC = "Yesterday I played football with my brother. We scored three goals and won the match at school."


def test_topic_terms_skip_instruction_words():
    assert relevance.topic_terms(PROMPT) == {"animal": pytest.approx(relevance._weight("animal"))}


def test_rarer_topic_words_weigh_more():
    assert relevance._weight("volcano") > relevance._weight("day")


def test_on_topic_beats_off_topic(make_transcript):
    on = relevance.relevance(make_transcript(ON_TOPIC), PROMPT)
    off = relevance.relevance(make_transcript(OFF_TOPIC), PROMPT)
    assert on["score"] == 1.0
    assert off["score"] == 0.0
    assert on["terms_used"][0]["term"] == "animal" and on["terms_used"][0]["related"] is False
    assert off["terms_missing"] == ["animal"]


def test_related_words_earn_partial_credit(make_transcript):
    r = relevance.relevance(make_transcript(RELATED_ONLY), PROMPT)
    assert r["coverage"] == pytest.approx(relevance.EXPANSION_CREDIT)
    assert r["terms_used"] == [{"term": "animal", "said": "cat", "start": 1.2, "related": True, "sure": True}]
    # content words: cat rabbit pet rabbit eats carrots cat sleeps day -> 5 topic-related of 9
    assert r["focus"] == pytest.approx(5 / 9, abs=1e-3)
    assert r["score"] == pytest.approx(0.6 * 1.0 + 0.4 * 1.0)


def test_inflected_prompt_word_matches(make_transcript):
    r = relevance.relevance(make_transcript("Volcanoes erupted and volcanoes are hot."), "Describe a volcano.")
    assert r["terms_used"][0]["said"] == "volcanoes"


def test_empty_speech_scores_zero(make_transcript):
    r = relevance.relevance(make_transcript([]), PROMPT)
    assert r["score"] == 0.0 and r["reliable"] is False


def test_opening_on_topic(make_transcript):
    assert relevance.relevance(make_transcript(ON_TOPIC), PROMPT)["opening_on_topic"] is True
    late = make_transcript("Hello everyone. " + ON_TOPIC)
    assert relevance.relevance(late, PROMPT)["opening_on_topic"] is False
