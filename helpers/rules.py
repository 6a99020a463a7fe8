"""Public entry point for regulation rules applied to a trainee's own data."""
from helpers.engine.findings import Finding
from helpers.engine.timeline import TimelineInputError, check_development_timeline

__all__ = ["Finding", "TimelineInputError", "check_development_timeline"]
