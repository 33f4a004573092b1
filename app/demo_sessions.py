"""Demo practice sessions. Filled in with real analysed recordings by the practice workflow."""


def seed_sessions(classroom) -> None:
    return None
