"""Public entry point for exams: blueprints and reproducible paper draws."""
from helpers.content.blueprint import Blueprint, Section, load_blueprint
from helpers.engine.exam_draw import BlueprintError, draw, shuffle_options

__all__ = ["Blueprint", "BlueprintError", "Section", "draw", "load_blueprint", "shuffle_options"]
