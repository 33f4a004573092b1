"""Routes of this module are being built; see the blueprint package."""
from . import bp  # noqa: F401
