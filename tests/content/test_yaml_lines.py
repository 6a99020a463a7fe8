"""The line-aware loader builds plain YAML directly (for speed): it must give
exactly what PyYAML's safe loader on the same (libyaml) parser gives, whatever
the document holds."""
from __future__ import annotations

import pytest
import yaml

from helpers.content.yaml_lines import load_with_lines

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DOCUMENTS = {
    "text, mappings and lists": "a: 文字\nb:\n  - x\n  - {c: 'quoted', d: [e, f]}\n",
    "numbers, booleans, null, dates": "n: 3\nf: 1.5\nt: true\nz: null\nd: 2026-05-11\nhex: 0x1f\nempty:\n",
    "anchors and merge keys": "base: &b {x: 1, y: [a, b]}\nuse:\n  <<: *b\n  y: [c]\nsame: *b\n",
    "non-text keys": "1: one\ntrue: yes\n2.5: x\n",
    "explicit tags": "s: !!str 123\nm: !!map {a: b}\nseq: !!seq [1, 2]\nset: !!set {a, b}\n",
    "deep nesting": "a: " + "[" * 120 + "x" + "]" * 120 + "\n",
}


@pytest.mark.parametrize("text", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_the_loader_gives_what_the_safe_loader_gives(text):
    data, _ = load_with_lines(text)
    assert data == yaml.load(text, Loader=SAFE_LOADER)


def test_an_unusable_key_fails_as_with_the_safe_loader():
    text = "ok: 1\n? [a, b]\n: pair\n"
    with pytest.raises(yaml.YAMLError) as expected:
        yaml.load(text, Loader=SAFE_LOADER)
    with pytest.raises(yaml.YAMLError) as got:
        load_with_lines(text)
    assert str(got.value) == str(expected.value)


def test_an_alias_is_the_same_object_as_its_anchor():
    data, _ = load_with_lines("base: &b {x: [1]}\nsame: *b\nlist: &l [a]\nagain: *l\n")
    assert data["same"] is data["base"]
    assert data["again"] is data["list"]


def test_a_mapping_that_contains_itself_loads():
    data, _ = load_with_lines("&m {name: x, self: *m}\n")
    assert data["self"] is data


def test_lines_of_mappings_and_keys_are_remembered():
    data, lines = load_with_lines("top: 1\nitems:\n  - id: q1\n    stem: 题干\n  - id: q2\n")
    assert lines.line_of(data) == 1
    assert lines.line_of(data, "items") == 2
    assert lines.line_of(data["items"][1]) == 5
    assert lines.line_of(data["items"][0], "stem") == 4
    assert lines.line_of(data["items"][0], "missing") == 3
