"""Monthly party dues under the 2008 《关于中国共产党党费收缴、使用和管理的规定》
(fact sheet §4; the original 组通字〔2008〕3号 was not found, but the rates below
agree across five or more reprints).

How the text is read:

* **Bands.**  The text closes each band with its own "（含X元）", so 3000.00 is in
  the 0.5% band and 3000.01 in the 1% band; "10000元以上" for the top band then
  means more than 10000, which the band below already includes.
* **Rounding.**  The text gives percentages, not a rounding rule; an amount is
  paid in 分, so the result is rounded half-up to 0.01 元, computed in exact
  :class:`~decimal.Decimal` arithmetic (a float 1001.0 × 0.5% would come out as
  5.00, not 5.01).  The explanation says that the rounding is ours.
* **农民党员.**  第六条 gives a range, "每月交纳党费0.2元-1元", and no way to pick a
  figure in it, so :func:`party_dues` refuses with
  :class:`DuesRangeOnlyError`, whose message states the range, rather than
  invent a number.
* **Fixed amounts.**  学生, 下岗失业, 低保 and 依靠抚恤或救济生活 pay 0.2 元 whatever
  their income; the income may be left out (None) and, if given, is still
  checked so that garbage never passes silently.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

_RULES = "《关于中国共产党党费收缴、使用和管理的规定》（2008年）"

CENT = Decimal("0.01")
# No monthly income is near a hundred million yuan; beyond it the input is a typo.
MAX_INCOME = Decimal("100000000")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


class DuesInputError(ValueError):
    """An income or category the calculator cannot use; the message says why, in Chinese."""


class DuesRangeOnlyError(DuesInputError):
    """The rules give only a range for this category, not an amount to compute."""


@dataclass(frozen=True)
class Band:
    """Income up to ``upper`` (inclusive; None for the top band) pays ``rate``."""

    upper: Decimal | None
    rate: Decimal
    label: str


@dataclass(frozen=True)
class Category:
    """One kind of member as 第二、五、六条 name them.

    Exactly one of ``bands`` (a percentage of ``basis``), ``fixed`` (yuan a month)
    and ``range`` (the lowest and highest yuan a month) is set.
    """

    name: str
    description: str
    basis: str
    article: str
    bands: tuple[Band, ...] = ()
    fixed: Decimal | None = None
    range: tuple[Decimal, Decimal] | None = None

    @property
    def source(self) -> str:
        return f"{_RULES}第{self.article}条"

    @property
    def needs_income(self) -> bool:
        return bool(self.bands)


def _band(upper: str | None, rate: str, label: str) -> Band:
    return Band(None if upper is None else Decimal(upper), Decimal(rate), label)


_FIXED = Decimal("0.20")

CATEGORIES: tuple[Category, ...] = (
    Category(
        "在职", "在职（按月领取工资）", "税后月工资收入", "二",
        bands=(
            _band("3000", "0.005", "3000元以下（含3000元）"),
            _band("5000", "0.01", "3000元以上至5000元（含5000元）"),
            _band("10000", "0.015", "5000元以上至10000元（含10000元）"),
            _band(None, "0.02", "10000元以上"),
        ),
    ),
    Category(
        "离退休", "离退休", "每月实际领取的离退休费总额或养老金总额", "五",
        bands=(_band("5000", "0.005", "5000元以下（含5000元）"), _band(None, "0.01", "5000元以上")),
    ),
    Category("学生", "学生党员", "", "六", fixed=_FIXED),
    Category("下岗失业", "下岗失业的党员", "", "六", fixed=_FIXED),
    Category("低保", "领取当地最低生活保障金的党员", "", "六", fixed=_FIXED),
    Category("依靠抚恤或救济生活", "依靠抚恤或救济生活的党员", "", "六", fixed=_FIXED),
    Category("农民", "农民党员", "", "六", range=(Decimal("0.2"), Decimal("1"))),
)
_BY_NAME = {category.name: category for category in CATEGORIES}

# Facts about paying, shown beside the amount; each with its article.
DUES_NOTES: tuple[tuple[str, str], ...] = (
    ("预备党员从支部大会通过其为预备党员之日起交纳党费。", f"{_RULES}第八条"),
    ("党员应当按月交纳党费；补交党费的时间一般不得超过6个月。", f"{_RULES}第十二条"),
)


@dataclass(frozen=True)
class DuesResult:
    """The amount, why (``reason``) and the article it rests on."""

    amount: Decimal
    reason: str
    source: str

    @property
    def explanation(self) -> str:
        return f"{self.reason}依据：{self.source}"


def find_category(name: str) -> Category:
    """The category called ``name``; raises :class:`DuesInputError` listing the choices."""
    found = _BY_NAME.get(name) if isinstance(name, str) else None
    if found is None:
        raise DuesInputError(f"未知的党员类别“{name}”，可选：{'、'.join(_BY_NAME)}")
    return found


def _from_text(text: str) -> Decimal:
    """Income typed by a person: full-width digits, “4,200”, a trailing 元 or a
    leading ¥ are fine; “4,20” is refused, since it may mean 4.20."""
    cleaned = "".join(unicodedata.normalize("NFKC", text).split()).removesuffix("元").lstrip("¥￥")
    if not cleaned:
        raise DuesInputError("请填写月收入（元）")
    if "," in cleaned:
        if not _GROUPED.fullmatch(cleaned):
            raise DuesInputError(f"无法识别的金额“{text.strip()}”：千位分隔的逗号位置不对，请直接写数字，如 4200")
        cleaned = cleaned.replace(",", "")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise DuesInputError(f"无法识别的金额“{text.strip()}”，请填写数字，如 4200 或 4,200.50") from None


def parse_income(value: object) -> Decimal:
    """A monthly income as an exact Decimal; floats go through ``str`` so that
    3000.01 stays 3000.01."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise DuesInputError(f"月收入应为数字，收到的是 {type(value).__name__}")
    amount = _from_text(value) if isinstance(value, str) else value if isinstance(value, Decimal) else Decimal(str(value))
    if not amount.is_finite():
        raise DuesInputError(f"月收入不是有效的数字：{value}")
    if amount < 0:
        raise DuesInputError(f"月收入不能为负数：{value}")
    if amount > MAX_INCOME:
        raise DuesInputError(f"月收入 {value} 超过 1 亿元，请检查是否多输入了数字")
    return abs(amount)  # turns -0 into 0


def _yuan(amount: Decimal) -> str:
    """4200 and 4200.0 both as “4,200”; 4200.50 as typed."""
    return format(amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount, ",f")


def _percent(rate: Decimal) -> str:
    return f"{format((rate * 100).normalize(), 'f')}%"


def _percentage(value: Decimal, rate: Decimal) -> Decimal:
    """``value × rate`` rounded half-up to the 分, with enough precision that the
    product is exact before the one rounding."""
    with localcontext() as context:
        context.prec = len(value.as_tuple().digits) + len(rate.as_tuple().digits) + 2
        exact = value * rate
    return exact.quantize(CENT, rounding=ROUND_HALF_UP)


def assess_dues(monthly_income: object, category: str = "在职") -> DuesResult:
    """The monthly dues, the band that decided them and the article.

    ``monthly_income`` may be None for the fixed-amount categories.  Raises
    :class:`DuesInputError` for a bad income or category and
    :class:`DuesRangeOnlyError` for 农民党员.
    """
    kind = find_category(category)
    if kind.needs_income:
        if monthly_income is None:
            raise DuesInputError(f"请填写{kind.basis}（元）")
        return _banded(kind, parse_income(monthly_income))
    if monthly_income is not None:
        parse_income(monthly_income)  # unused here, but a typo must not pass as a valid figure
    if kind.range is not None:
        low, high = kind.range
        raise DuesRangeOnlyError(
            f"{kind.description}每月交纳党费 {low} 元至 {high} 元，不按收入比例计算；规定只给出这个范围，"
            f"本工具不替支部选定具体数额。依据：{kind.source}"
        )
    reason = f"{kind.description}每月交纳党费 {kind.fixed} 元，与收入多少无关。"
    return DuesResult(kind.fixed, reason, kind.source)


def _banded(kind: Category, value: Decimal) -> DuesResult:
    band = next(band for band in kind.bands if band.upper is None or value <= band.upper)
    amount = _percentage(value, band.rate)
    reason = (
        f"{kind.basis} {_yuan(value)} 元，在“{band.label}”一档，按 {_percent(band.rate)} 交纳，"
        f"每月 {amount} 元（规定只给出比例，结果按四舍五入计到分）。"
    )
    return DuesResult(amount, reason, kind.source)


def party_dues(monthly_income: object, category: str = "在职") -> Decimal:
    """Monthly dues in yuan with two decimal places; see :func:`assess_dues`."""
    return assess_dues(monthly_income, category).amount


def dues_explanation(monthly_income: object, category: str = "在职") -> str:
    """The band, the rate, the amount and the article, in one Chinese sentence."""
    return assess_dues(monthly_income, category).explanation
