"""Checking that a page fits a 375 px phone, shared by the phone and self-study tests.

Each check saves a screenshot first; a failing check names it, so the layout
can be looked at rather than guessed.
"""
from __future__ import annotations

from pathlib import Path

PHONE = {"width": 375, "height": 740}
TAP_PX = 40  # every button; the options of a question are whole-label tap targets of at least 32 px (course.css)

LAYOUT = """() => {
  const width = window.innerWidth;
  const visible = el => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden';
  };
  const describe = el => {
    const r = el.getBoundingClientRect();
    return `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} “${(el.innerText || el.value || '').trim().slice(0, 24)}” `
      + `${Math.round(r.left)}–${Math.round(r.right)} px × ${Math.round(r.height)} px`;
  };
  const buttons = [...document.querySelectorAll('button, input[type=button], input[type=submit]')].filter(visible);
  const texts = [...document.querySelectorAll(
    '.widget-radio-box label, .widget-checkbox, .widget-html-content, .widget-text, button, .course-notice')].filter(visible);
  const options = [...document.querySelectorAll('.widget-radio-box label, .widget-checkbox label')].filter(visible);
  const overlapping = options.filter((el, i) => el.scrollHeight > el.clientHeight + 2
    || (i > 0 && options[i - 1].parentElement === el.parentElement
        && el.getBoundingClientRect().top < options[i - 1].getBoundingClientRect().bottom - 1));
  return {
    width,
    overlapping: overlapping.map(describe),
    html: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
    small: buttons.filter(el => el.getBoundingClientRect().height < %d).map(describe),
    outside: texts.filter(el => el.getBoundingClientRect().right > width + 1 || el.getBoundingClientRect().left < -1)
                  .map(describe),
  };
}""" % TAP_PX


def check_layout(page, folder: Path, step: str) -> None:
    """Screenshot ``step`` and check it fits a phone."""
    shot = folder / f"{step}.png"
    page.screenshot(path=str(shot))
    found = page.evaluate(LAYOUT)
    assert found["width"] == PHONE["width"], found
    assert found["html"] <= PHONE["width"] and found["body"] <= PHONE["width"], (
        f"{step}：页面比手机屏幕宽（html {found['html']} px，body {found['body']} px），截图 {shot}")
    assert not found["outside"], f"{step}：有内容超出屏幕 {found['outside']}，截图 {shot}"
    assert not found["overlapping"], f"{step}：选项文字互相重叠或被截断 {found['overlapping']}，截图 {shot}"
    assert not found["small"], f"{step}：按钮不到 {TAP_PX} px 高 {found['small']}，截图 {shot}"
