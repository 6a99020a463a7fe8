"""Public entry point for class reports (instructor side; imports pandas)."""
from helpers.engine.item_analysis import ResponsesError, item_analysis, option_counts

__all__ = ["ResponsesError", "item_analysis", "option_counts"]
