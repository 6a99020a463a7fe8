"""Normalising typed Chinese answers.

Trainees type on phones and PCs with full-width or half-width input; "１个月",
"1 个月" and "1个月。" must count as the same answer.
"""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_EDGE_PUNCT = "。，、；：！？.,;:!?\"'“”‘’（）()《》 "


def normalize_answer(text: str) -> str:
    """NFKC-fold widths, drop all white space and trailing/leading punctuation."""
    folded = unicodedata.normalize("NFKC", text)
    folded = _SPACES.sub("", folded)
    return folded.strip(_EDGE_PUNCT).lower()
