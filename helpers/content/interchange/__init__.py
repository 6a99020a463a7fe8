"""Question-bank import and export: Excel 题库 (.xlsx/.csv), GIFT and Aiken
(Moodle's text formats) and jupyterquiz JSON.

One reader per format turns a file into drafts in questions.yaml's field names
(:mod:`.model`); :mod:`.into_bank` checks them with the bank's own validator
and appends them to the modules' files all or nothing; :mod:`.export` writes
the bank out.  Instructor documentation: ``docs/import-export.md``.
"""
from helpers.content.interchange.export import ExportReport, export_file
from helpers.content.interchange.formats import EXPORT_FORMATS, FORMATS, IMPORT_FORMATS
from helpers.content.interchange.into_bank import ImportPlan, import_file, plan_import, read_questions
from helpers.content.interchange.model import InterchangeError, RowProblem, RowsRejected, UnknownModule, UnreadableFile

__all__ = [
    "EXPORT_FORMATS", "FORMATS", "IMPORT_FORMATS", "ExportReport", "ImportPlan", "InterchangeError", "RowProblem",
    "RowsRejected", "UnknownModule", "UnreadableFile", "export_file", "import_file", "plan_import", "read_questions",
]
