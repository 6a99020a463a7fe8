"""Word reports: the right content, Chinese fonts named for Word and LibreOffice,
and (where LibreOffice is installed) a real conversion to PDF with the Chinese intact."""
import io
import re
import shutil
import subprocess
import time
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import docx
import pytest
import yaml
from docx.oxml.ns import qn

from helpers.content.loader import load_checklist_file
from helpers.content.schema import Checklist
from helpers.engine.audit_scoring import score
from helpers.engine.reports import (
    DOCX_MIME,
    NotCompleted,
    ReportInputError,
    audit_report_docx,
    certificate_docx,
    class_report_docx,
)
from helpers.engine.reports._docx import BAR_SEGMENTS, EMPTY_BAR_FILL
from helpers.store.records import AuditRecord, ModuleProgress, Trainee

ROOT = Path(__file__).resolve().parents[2]
SRC = "《中国共产党支部工作条例（试行）》（2018年）第十一条"
CHECKLIST = f"""
id: demo
module: demo
title: 演示支部工作自查
dimensions:
  - id: org
    title: 组织设置
    items:
      - {{id: a, text: 按期换届, points: 40, method: 查台账, deduction: 缺扣40, fix: 报请上级党组织批准后换届, source: "{SRC}"}}
      - {{id: b, text: 党员大会表决有效, points: 20, method: 看现场, deduction: 缺扣20, fix: 重新召开党员大会表决, source: "{SRC}", veto: true}}
  - id: rec
    title: 档案资料
    items:
      - {{id: c, text: 党员名册齐全, points: 40, method: 问询, deduction: 缺扣40, fix: 逐人核对党员名册, source: "{SRC}"}}
"""
MODULES = {"renshi": "认识“两新”组织党建", "zuzhi": "组织设置与换届", "fazhan": "发展党员工作"}


@pytest.fixture
def checklist():
    return Checklist.model_validate(yaml.safe_load(CHECKLIST))


def progress(*scores):
    return {
        module: ModuleProgress(answered=20, correct=15, last_score=value, audit_total=80.0, audit_rating="良好")
        for module, value in zip(MODULES, scores)
        if value != "skip"
    }


def document(data: bytes):
    return docx.Document(io.BytesIO(data))


def all_text(data: bytes) -> str:
    """Every paragraph's text, in the body and in tables, one per line."""
    body = document(data).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


# -- audit report ---------------------------------------------------------------


def test_audit_report_has_score_rating_chart_and_rectification_list(checklist):
    result = score(checklist, {"a": "部分达标", "b": "达标", "c": "未达标"})
    data = audit_report_docx(result, checklist, branch="某某科技有限公司党支部", trainee="张三", when=date(2026, 11, 2))
    text = all_text(data)
    for expected in [
        "演示支部工作自查报告", "某某科技有限公司党支部", "张三", "2026年11月2日", "40", "不合格",
        "评定标准：优秀 90 分及以上", "一、各方面得分", "组织设置", "档案资料", "二、整改清单",
        "报请上级党组织批准后换届", "逐人核对党员名册", SRC, "责任人", "完成时限", "党组织书记（签字）",
    ]:
        assert expected in text, expected
    assert text.index("逐人核对党员名册") < text.index("报请上级党组织批准后换届")  # largest loss first
    assert "（未达标，失 40 分）" in text and "（部分达标，失 20 分）" in text
    assert "逐项自查情况" not in text and "历次自查" not in text


def test_bars_have_one_shaded_segment_per_five_points(checklist):
    result = score(checklist, {"a": "部分达标", "b": "达标", "c": "达标"})  # 组织设置 66.7, 档案资料 100
    doc = document(audit_report_docx(result, checklist))
    chart = next(t for t in doc.tables if len(t.columns) == BAR_SEGMENTS + 2)
    bars = {}
    for row in chart.rows:
        label = row.cells[0].text
        if label:
            fills = [c._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) for c in row.cells[1:-1]]
            bars[label] = sum(fill != EMPTY_BAR_FILL for fill in fills)
    assert bars == {"组织设置": round(BAR_SEGMENTS * 66.7 / 100), "档案资料": BAR_SEGMENTS}


def test_veto_is_spelled_out_and_marked(checklist):
    result = score(checklist, {"a": "达标", "b": "未达标", "c": "达标"})
    text = all_text(audit_report_docx(result, checklist))
    assert "一票否决项未达标：党员大会表决有效" in text
    assert "【一票否决】党员大会表决有效" in text
    assert "不合格" in text


def test_all_met_says_so(checklist):
    result = score(checklist, {"a": "达标", "b": "达标", "c": "不适用"})
    text = all_text(audit_report_docx(result, checklist))
    assert "所有适用项均已达标，无需整改。" in text and "存在问题" not in text


def test_blank_names_leave_a_line_to_write_on(checklist):
    result = score(checklist, {"a": "达标", "b": "达标", "c": "达标"})
    text = all_text(audit_report_docx(result, checklist, branch="  ", trainee=""))
    assert text.count("＿＿＿＿＿＿＿＿") >= 2


def test_appendix_and_history_when_given(checklist):
    answers = {"a": "部分达标", "b": "达标", "c": "不适用"}
    result = score(checklist, answers)
    utc = timezone.utc
    history = [
        AuditRecord(1, "demo", "demo", answers, 55.0, "不合格", datetime(2026, 10, 1, 1, 0, tzinfo=utc)),
        AuditRecord(2, "demo", "demo", answers, result.total, result.rating, datetime(2026, 11, 1, 1, 0, tzinfo=utc)),
    ]
    text = all_text(audit_report_docx(result, checklist, answers=answers, history=history))
    assert "附：逐项自查情况" in text and "三、历次自查" in text
    assert "55 分" in text
    appendix = text[text.index("附：逐项自查情况"):]
    assert appendix.index("按期换届") < appendix.index("部分达标") < appendix.index("党员名册齐全") < appendix.index("不适用")


def test_aware_times_print_as_local_dates(checklist):
    result = score(checklist, {"a": "达标", "b": "达标", "c": "达标"})
    moment = datetime(2026, 11, 2, 23, 30, tzinfo=timezone.utc)
    text = all_text(audit_report_docx(result, checklist, when=moment))
    local = moment.astimezone().date()
    assert f"{local.year}年{local.month}月{local.day}日" in text


def test_result_from_another_checklist_is_refused(checklist, tmp_path):
    other = load_checklist_file(ROOT / "quiz_bank" / "biaozhun" / "checklist.yaml")
    result = score(other, {item.id: "未达标" for item in other.items})
    with pytest.raises(ReportInputError, match="不对应"):
        audit_report_docx(result, checklist)


def test_bad_names_and_control_characters(checklist):
    result = score(checklist, {"a": "达标", "b": "达标", "c": "达标"})
    with pytest.raises(ReportInputError, match="党组织名称过长"):
        audit_report_docx(result, checklist, branch="党" * 101)
    with pytest.raises(ValueError, match="填表人应为文字"):
        audit_report_docx(result, checklist, trainee=None)
    text = all_text(audit_report_docx(result, checklist, branch="某\x00某\x1b党支部\n"))
    assert "某某党支部" in text  # pasted control characters dropped, not a crash


# -- fonts and page ---------------------------------------------------------------


def _fonts(element):
    fonts = element.find(qn("w:rFonts"))
    return {key.split("}")[1]: value for key, value in fonts.attrib.items()}


def test_chinese_fonts_are_named_everywhere_without_theme_overrides(checklist):
    result = score(checklist, {"a": "部分达标", "b": "达标", "c": "未达标"})
    data = audit_report_docx(result, checklist, branch="某党支部")
    doc = document(data)
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert _fonts(defaults) == {"ascii": "Times New Roman", "hAnsi": "Times New Roman", "eastAsia": "SimSun", "cs": "Times New Roman"}
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    for name, face in (("Normal", "SimSun"), ("Heading 1", "SimHei"), ("Heading 2", "SimHei")):
        fonts = _fonts(doc.styles[name].element.rPr)
        assert fonts["eastAsia"] == face and not any("Theme" in key or key == "cstheme" for key in fonts), name
    assert "Theme" not in part(data, "word/document.xml")  # no run points back at Calibri/Cambria
    title = doc.paragraphs[0].runs[0]._r.rPr
    assert _fonts(title)["eastAsia"] == "SimHei" and _fonts(title)["hint"] == "eastAsia"
    table = part(data, "word/fontTable.xml")
    assert re.search(r'w:name="SimSun"><w:altName w:val="宋体"/><w:panose1 [^>]*/><w:charset w:val="86"/>', table)
    assert re.search(r'w:name="SimHei"><w:altName w:val="黑体"/>', table)
    assert doc.core_properties.language == "zh-CN"


def test_a4_pages_with_page_numbers_and_repeating_table_headers(checklist):
    result = score(checklist, {"a": "部分达标", "b": "达标", "c": "未达标"})
    data = audit_report_docx(result, checklist)
    section = document(data).sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    footer = part(data, next(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/footer")))
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    assert "<w:tblHeader" in part(data, "word/document.xml")


def test_mime_type_for_download_links():
    assert DOCX_MIME.endswith("wordprocessingml.document")


# -- certificate ------------------------------------------------------------------


TRAINEE = Trainee(id=7, name="李红梅", number="2026007", class_code="ABC123")


def test_certificate_for_a_trainee_who_passed_every_module():
    data = certificate_docx(TRAINEE, progress(95, 60, 88.5), MODULES, issued=date(2026, 12, 1),
                            issuer="某市委党校", number="2026-07")
    text = all_text(data)
    for expected in ["结　业　证　明", "李红梅同志（学员编号：2026007）", "完成全部 3 个模块", "达到 60 分及以上，准予结业",
                     "特此证明", "认识“两新”组织党建", "88.5 分", "某市委党校", "2026年12月1日", "编号：2026-07"]:
        assert expected in text, expected
    assert "ABC123" not in text  # the class code is a sign-in secret, never printed
    assert "<w:pgBorders" in part(data, "word/document.xml")
    assert not any(n.startswith("word/footer") for n in zipfile.ZipFile(io.BytesIO(data)).namelist()) or \
        "PAGE" not in all_text(data)


def test_certificate_uses_the_configured_pass_mark():
    text = all_text(certificate_docx(TRAINEE, progress(80, 80, 80), MODULES, pass_mark=80))
    assert "达到 80 分及以上" in text and "培训单位（盖章）" in text
    with pytest.raises(NotCompleted):
        certificate_docx(TRAINEE, progress(80, 79.5, 80), MODULES, pass_mark=80)


def test_no_certificate_before_every_quiz_is_passed():
    with pytest.raises(NotCompleted) as caught:
        certificate_docx(TRAINEE, progress(95, 59, "skip"), MODULES)
    assert caught.value.missing == ["组织设置与换届", "发展党员工作"]
    assert "还有 2 个模块的测验未达到 60 分：组织设置与换届、发展党员工作" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_certificate_needs_a_name_and_modules():
    with pytest.raises(ReportInputError, match="学员姓名"):
        certificate_docx(Trainee(1, " ", "1", ""), progress(90, 90, 90), MODULES)
    with pytest.raises(ReportInputError, match="没有列出任何"):
        certificate_docx(TRAINEE, {}, {})


# -- class report -----------------------------------------------------------------


def members():
    return [
        (Trainee(3, "赵志强", "2026003", "C"), progress(45, "skip", 70)),
        (Trainee(1, "王建国", "2026001", "C"), progress(90, 80, 70)),
        (Trainee(2, "刘芳", "2026002", "C"), progress(100, 62.5, 58)),
    ]


def test_class_report_counts_completion_the_certificate_way():
    data = class_report_docx(members(), MODULES, class_name="2026年第一期书记培训班", when=date(2026, 12, 20),
                             instructor="周老师")
    text = all_text(data)
    for expected in ["2026年第一期书记培训班学习情况报告", "2026年12月20日", "本班共有学员 3 人",
                     "可以结业的 1 人，占 33.3%", "尚未结业的 2 人", "一、总体情况", "二、各模块情况",
                     "三、学员成绩一览", "四、需跟进的学员", "填报人：周老师"]:
        assert expected in text, expected
    assert "组织设置与换届（未完成）" in text and "认识“两新”组织党建（45 分）" in text
    assert "发展党员工作（58 分）" in text
    doc = document(data)
    roster = next(t for t in doc.tables if t.rows[0].cells[-1].text == "结业")
    assert [[c.text for c in row.cells] for row in roster.rows[1:]] == [
        ["1", "2026001", "王建国", "90", "80", "70", "是"],
        ["2", "2026002", "刘芳", "100", "62.5", "58", "否"],
        ["3", "2026003", "赵志强", "45", "—", "70", "否"],
    ]
    red = [(r, c) for r, row in enumerate(roster.rows[1:]) for c, cell in enumerate(row.cells)
           if cell._tc.tcPr.find(qn("w:shd")) is not None]
    assert red == [(1, 5), (2, 3)]
    summary = next(t for t in doc.tables if t.rows[0].cells[1].text == "模块")
    assert [c.text for c in summary.rows[2].cells] == ["2", "组织设置与换届", "2", "71.2", "2", "66.7%", "2", "80"]


def test_class_report_with_everyone_done_has_no_follow_up_section():
    everyone = [(Trainee(1, "王建国", "1", "C"), progress(90, 90, 90))]
    text = all_text(class_report_docx(everyone, MODULES))
    assert "可以结业的 1 人，占 100%" in text and "需跟进" not in text and "培训班学习情况报告" in text


def test_class_report_shows_best_scores_and_roster_entries_who_never_signed_in():
    practised = SimpleNamespace(last_score=40.0, best_score=75.0, audit_total=None)
    everyone = [
        (Trainee(1, "王建国", "2026001", "C"), {module: practised for module in MODULES}),
        (SimpleNamespace(name="徐丽", number="2026002"), {}),  # on the imported roster only
    ]
    data = class_report_docx(everyone, MODULES)
    roster = next(t for t in document(data).tables if t.rows[0].cells[-1].text == "结业")
    assert [[c.text for c in row.cells] for row in roster.rows[1:]] == [
        ["1", "2026001", "王建国", "75", "75", "75", "是"],
        ["2", "2026002", "徐丽", "—", "—", "—", "否"],
    ]
    assert "认识“两新”组织党建（未完成）；组织设置与换届（未完成）；发展党员工作（未完成）" in all_text(data)


def test_class_report_needs_trainees_and_modules():
    with pytest.raises(ReportInputError, match="还没有学员"):
        class_report_docx([], MODULES)
    with pytest.raises(ReportInputError, match="没有列出任何模块"):
        class_report_docx(members(), {})


# -- LibreOffice: the documents really open, and the Chinese is there ------------------


def _pdf_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, timeout=60)
    # Whitespace dropped: Chinese lines wrap anywhere, and pdftotext interleaves a table row's cells
    # line by line, so only a cell's first line (kept short in the checks) reads through.
    return "".join(out.stdout.decode("utf-8").split())


def _pdf_fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="!!! LibreOffice (soffice) is not installed, so the .docx → PDF check did not run: "
    "apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk",
)
def test_libreoffice_converts_every_report_to_pdf_with_the_chinese_text(tmp_path):
    assert shutil.which("pdftotext") and shutil.which("pdffonts"), \
        "LibreOffice is here but poppler-utils (pdftotext, pdffonts) is not: apt-get install poppler-utils"
    bank = load_checklist_file(ROOT / "quiz_bank" / "biaozhun" / "checklist.yaml")
    cycle = ["达标", "部分达标", "达标", "未达标", "不适用"]
    answers = {item.id: cycle[i % len(cycle)] for i, item in enumerate(bank.items)}
    veto = next(item for item in bank.items if item.veto)
    answers[veto.id] = "未达标"
    result = score(bank, answers)
    first_gap = result.gaps[0]
    files = {
        "audit.docx": audit_report_docx(result, bank, branch="某某科技有限公司党支部", trainee="张三", answers=answers),
        "certificate.docx": certificate_docx(TRAINEE, progress(95, 60, 88.5), MODULES, issued=date(2026, 12, 1)),
        "class.docx": class_report_docx(members(), MODULES, class_name="2026年第一期书记培训班"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    profile = (tmp_path / "lo-profile").as_uri()  # its own profile: no clash with a running LibreOffice
    started = time.monotonic()
    run = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *(str(tmp_path / name) for name in files)],
        capture_output=True, text=True, timeout=300,
    )
    seconds = time.monotonic() - started
    pdfs = {name: tmp_path / name.replace(".docx", ".pdf") for name in files}
    assert all(pdf.exists() for pdf in pdfs.values()), f"LibreOffice made no PDF ({seconds:.1f} s): {run.stdout}{run.stderr}"
    print(f"LibreOffice converted {len(files)} reports in {seconds:.1f} s")

    expected = {
        "audit.docx": [result.rating, "党支部标准化规范化建设自查报告", "某某科技有限公司党支部", "张三", "一、各方面得分",
                       "二、整改清单", "组织设置", "工作保障", "一票否决项未达标", "附：逐项自查情况",
                       first_gap.item.source[:6], first_gap.fix[:6], "整改措施", "完成时限"],
        "certificate.docx": ["结业证明", "李红梅同志", "准予结业", "特此证明", "认识“两新”组织党建", "2026年12月1日"],
        "class.docx": ["2026年第一期书记培训班学习情况报告", "本班共有学员3人", "王建国", "刘芳", "赵志强", "需跟进的学员"],
    }
    for name, pdf in pdfs.items():
        text = _pdf_text(pdf)
        for phrase in expected[name]:
            assert "".join(phrase.split()) in text, f"{name}: {phrase!r} missing from the PDF text"
        fonts = _pdf_fonts(pdf)
        assert re.search(r"CJK|Song|Hei|Ming|WenQuanYi|Source ?Han|Fallback", fonts, re.I), \
            f"{name}: no Chinese font was embedded, the text would print as boxes:\n{fonts}"
