"""``/health``: a load balancer's liveness check."""
from . import views  # noqa: F401  (registers the route on bp)
from .blueprint import bp

__all__ = ["bp"]
