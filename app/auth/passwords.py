"""Password rules: how strong a chosen password must be, how a child's is made, and how they are hashed."""
from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path
from typing import Iterable

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from app.models import User

WORD_LIST = Path(__file__).with_name("child_words.txt")
# OWASP's minimum for scrypt (Password Storage Cheat Sheet): N=2^17, r=8, p=1.
OWASP_SCRYPT = (2**17, 8, 1)


def meets_owasp_cost(method: str) -> bool:
    """True for a werkzeug method string of scrypt with at least OWASP's cost ("scrypt:131072:8:1")."""
    name, *params = method.split(":")
    if name != "scrypt" or len(params) != 3 or not all(p.isdigit() for p in params):
        return False
    return all(int(value) >= floor for value, floor in zip(params, OWASP_SCRYPT, strict=True))


@cache
def child_words() -> tuple[str, ...]:
    lines = WORD_LIST.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def child_password() -> str:
    """Three everyday words joined by hyphens ("otter-lemon-kite"): easy for a child to read off a card and type."""
    words = child_words()
    return "-".join(secrets.choice(words) for _ in range(current_app.config["CHILD_PASSWORD_WORDS"]))


def password_problem(password: str, *, adult: bool, user_inputs: Iterable[str | None] = ()) -> str | None:
    """Why *password* cannot be used, in words a person can act on; None when it is fine.

    Adults' passwords must reach ADULT_PASSWORD_MIN_SCORE on zxcvbn's guessability scale; a student who
    chooses their own only has to avoid the very guessable ones (score 0: "password", "12345678").
    """
    config = current_app.config
    minimum, maximum = config["PASSWORD_MIN_LENGTH"], config["PASSWORD_MAX_LENGTH"]
    if len(password) < minimum:
        return f"Use at least {minimum} characters."
    if len(password) > maximum:
        return f"Use at most {maximum} characters."
    inputs = [part for value in user_inputs if value for part in value.replace("@", " ").replace(".", " ").split()]
    result = zxcvbn(password, user_inputs=inputs, max_length=maximum)
    if result["score"] >= (config["ADULT_PASSWORD_MIN_SCORE"] if adult else 1):
        return None
    feedback = result["feedback"]
    advice = " ".join(part for part in [feedback.get("warning"), *feedback.get("suggestions", [])[:1]] if part)
    return "This password is too easy to guess. " + (advice or "Add another word or two; uncommon words are better.")


def set_password(user: User, password: str) -> None:
    user.set_password(password, current_app.config["PASSWORD_HASH_METHOD"])


def needs_rehash(user: User) -> bool:
    """True when the stored hash was made with other parameters than today's (e.g. before scrypt's cost rose)."""
    return not user.password_hash.startswith(_stored_prefix(current_app.config["PASSWORD_HASH_METHOD"]))


def check_dummy_password(password: str) -> None:
    """Spend the time a real check takes, so an unknown or locked account answers as slowly as a known one."""
    check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_hex(16), method=method)


@cache
def _stored_prefix(method: str) -> str:
    return _dummy_hash(method).split("$", 1)[0] + "$"
