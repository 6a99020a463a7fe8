"""Public entry point for grading: ``helpers.quiz.grade(question, response)``."""
from helpers.engine.grading import GradeResult, ResponseError, grade

__all__ = ["GradeResult", "ResponseError", "grade"]
