"""Real-browser tests (headless system Chromium); shared fixtures are documented in conftest.py."""
