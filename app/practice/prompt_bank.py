"""Podium's own impromptu prompts, for students with no class or no topic set.

Written for ages 8–16: concrete, about everyday life, nothing that needs special
knowledge or asks a child to share anything private.
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class BankPrompt:
    key: str
    title: str
    prompt: str
    prep_seconds: int = 30
    speaking_seconds: int = 60

    def to_json(self) -> dict:
        return {"key": self.key, "title": self.title, "prompt": self.prompt,
                "prep_seconds": self.prep_seconds, "speaking_seconds": self.speaking_seconds}


def _p(key: str, title: str, prompt: str, prep: int = 30, speaking: int = 60) -> BankPrompt:
    return BankPrompt(key, title, prompt, prep, speaking)


PROMPTS: tuple[BankPrompt, ...] = (
    _p("best-day", "The best day ever",
       "Describe the best day you can remember. Where were you, who was there and what made it special?"),
    _p("superpower", "One superpower",
       "If you could have one superpower for a week, which would you choose and what would you do with it?"),
    _p("favourite-place", "My favourite place",
       "Talk about a place you love to be. What does it look, sound and smell like?"),
    _p("invent", "A new invention",
       "Invent something that would make school better. What is it, how does it work and who would use it?"),
    _p("animal-day", "A day as an animal",
       "If you could be any animal for one day, which would you be and what would you do?"),
    _p("rainy-day", "Rainy day plans", "It is raining all weekend. Explain how you would make the weekend fun."),
    _p("teach-skill", "Teach me something",
       "Explain how to do something you are good at, step by step, so a friend could learn it.", 45, 90),
    _p("favourite-book", "A book or film I like",
       "Tell us about a book, film or series you enjoyed and why someone your age should try it."),
    _p("time-travel", "Time machine",
       "You can visit any time in the past or future for one day. When would you go, and why?"),
    _p("school-rule", "One new rule",
       "If you could add one new rule at school, what would it be and how would it help?"),
    _p("hero", "Someone I admire",
       "Talk about a person you admire. It could be someone you know or someone famous. What makes them special?"),
    _p("perfect-meal", "The perfect meal",
       "Describe your perfect meal, from the starter to the pudding. Why did you choose each part?"),
    _p("holiday", "A dream holiday",
       "Plan a dream holiday. Where would you go, how would you travel and what would you do there?"),
    _p("pet", "The best pet", "Which animal makes the best pet? Give at least two reasons for your answer."),
    _p("screen-time", "Screens: good or bad?",
       "Are phones and tablets good or bad for young people? Give reasons for your view.", 45, 90),
    _p("outdoors", "Inside or outside?",
       "Do you prefer spending free time indoors or outdoors? Explain why, with examples."),
    _p("city-country", "City or countryside?",
       "Would you rather live in a big city or in the countryside? Compare the two."),
    _p("lesson-learned", "Something I learned",
       "Tell us about a time you made a mistake and what you learned from it."),
    _p("robot-helper", "My robot helper",
       "You have a robot helper for a day. What jobs would you give it, and what would you do with the free time?"),
    _p("new-sport", "Invent a sport",
       "Invent a new sport. What are the rules, what do you need to play and why is it fun?"),
    _p("seasons", "My favourite season",
       "Which season of the year do you like best? Describe what makes it better than the others."),
    _p("kindness", "An act of kindness",
       "Describe a time when someone was kind to you, or when you helped someone. How did it feel?"),
    _p("future-job", "A job I would like",
       "What job would you like to do one day? What would a normal day in that job look like?"),
    _p("island", "Three things on an island",
       "You are going to a desert island. Which three things would you take, and why?"),
    _p("talent-show", "The talent show",
       "Your class is putting on a talent show. What act would you do and how would you prepare?"),
    _p("homework", "Should homework exist?",
       "Should schools give homework? Give your opinion and at least two reasons.", 45, 90),
    _p("festival", "A celebration",
       "Describe a festival or celebration you enjoy. What happens, and what is your favourite part?"),
    _p("game-design", "Design a game",
       "Design a board game or video game. What is the goal, and what makes it exciting?"),
    _p("weather-control", "Controlling the weather",
       "If you could control the weather for one day, what would you choose and why?"),
    _p("friendship", "What makes a good friend",
       "What makes someone a good friend? Use examples to explain your ideas."),
    _p("museum", "A museum of me",
       "A museum opens about your life. Which three objects would be on show, and what do they say about you?"),
    _p("space", "A trip to space",
       "You have a seat on a rocket to the Moon. Would you go? Explain what excites or worries you."),
    _p("change-town", "Improve my town",
       "What one change would make your town or neighbourhood a better place to live?"),
    _p("wild-animal", "An amazing animal",
       "Talk about an animal you find amazing. What is special about how it lives?"),
    _p("morning", "The perfect morning", "Describe your perfect morning, from waking up to leaving the house."),
    _p("story-start", "Finish the story",
       "Start a story with: 'When I opened the door, I could not believe my eyes...' and tell us what happens next.",
       45, 90),
    _p("music", "Music in my life",
       "What kind of music do you like? When do you listen to it and how does it make you feel?"),
    _p("environment", "Helping the planet",
       "Suggest three things young people can do to help the environment. Which is the most important?", 45, 90),
)

_BY_KEY = {p.key: p for p in PROMPTS}


def prompt_by_key(key: str | None) -> BankPrompt | None:
    return _BY_KEY.get(key or "")


def prompt_of_the_day(student_id: int, day: date) -> BankPrompt:
    """The same prompt all day for one student; classmates tend to get different ones."""
    digest = hashlib.sha256(f"{day.isoformat()}:{student_id}".encode()).digest()
    return PROMPTS[int.from_bytes(digest[:4], "big") % len(PROMPTS)]


def another_prompt(current_key: str | None, rng: random.Random | None = None) -> BankPrompt:
    """A random prompt that is not the one on screen, for the "try another" button."""
    choices = [p for p in PROMPTS if p.key != current_key]
    return (rng or random).choice(choices)
