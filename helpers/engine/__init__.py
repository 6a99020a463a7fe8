"""Engine layer: pure functions for grading, audit scoring and regulation rules."""
