"""UI layer: ipywidgets pages that notebooks call in one or two lines."""
from helpers.ui.pages import course_home, module_page

__all__ = ["course_home", "module_page"]
