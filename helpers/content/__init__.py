"""Content layer: the question-bank schema, loading and validation."""
