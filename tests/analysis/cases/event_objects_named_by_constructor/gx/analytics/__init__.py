from gx.analytics.client import submit as submit

__all__ = ["submit"]
