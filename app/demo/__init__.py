"""The demo a first ``make run`` shows: a teacher, a class, four students and their analysed speeches.

``seed.py`` creates the accounts, class, topic and goals (``flask seed-demo``);
``sessions.py`` analyses the recordings in ``data/`` with the real engine.
"""
