"""What counts as a proper citation: the regulation in 《》 plus an article (or
chapter), so every question and checklist item can be checked against its text."""
from __future__ import annotations

import re

_REGULATION = re.compile(r"《[^《》]+》")
_ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇\d]+(?:条|章|部分)")


def citation_problem(source: str) -> str | None:
    """Return why ``source`` is not a usable citation, or ``None`` if it is."""
    if not source.strip():
        return "缺少出处（source）"
    if not _REGULATION.search(source):
        return "出处须用《》写明法规名称"
    if not _ARTICLE.search(source):
        return "出处须写明条款，如“第十三条”（按部分编排的文件写“第二部分”）"
    return None
