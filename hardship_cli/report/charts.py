"""The geometry of the reports' charts, for inline SVG drawn by the templates.

Plain arithmetic on Decimal; every coordinate is written with one decimal, so the same
figures always give the same bytes. No JavaScript, no library, no network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

ZERO = Decimal("0")


def svg_number(value: Decimal | int | float) -> str:
    """A coordinate for the SVG: one decimal, never a float's noise."""
    return f"{Decimal(str(value)).quantize(Decimal('0.1'))}"


NICE_STEPS = (Decimal("1"), Decimal("2"), Decimal("2.5"), Decimal("5"))
TICKS = (3, 6)  # the fewest and the most steps of an axis


def nice_axis(value: Decimal) -> tuple[Decimal, int]:
    """An axis just above `value`: (its maximum, its number of steps). The step is 1, 2,
    2.5 or 5 x 10^k and the axis has 3 to 6 steps; of those, the lowest maximum wins
    (and of equal maxima, the fewer steps): 279,000 -> 300,000 in 3 steps of 100,000,
    47,400 -> 50,000 in 5 steps of 10,000. Zero or less: 0 to 1 in 4 steps."""
    if value <= 0:
        return Decimal("1"), 4
    best: tuple[Decimal, int] | None = None
    exponent = (value / TICKS[1]).adjusted()
    for k in (exponent - 1, exponent, exponent + 1):
        for base in NICE_STEPS:
            step = base.scaleb(k)
            steps = (value / step).to_integral_value(rounding=ROUND_CEILING)
            if not TICKS[0] <= steps <= TICKS[1]:
                continue
            top = step * steps
            if best is None or (top, int(steps)) < best:
                best = (top, int(steps))
    assert best is not None  # one of the steps around value / 6 always fits
    return best


def tick_text(value: Decimal) -> str:
    """1500 -> '1,500'; 2.5 -> '2.5'."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,}"


@dataclass
class Bar:
    x: str
    y: str
    w: str
    h: str
    label: str  # a code or text; the template turns it into words
    value: str  # the figure, written out
    label_x: str
    label_y: str
    value_x: str
    value_y: str


@dataclass
class Grid:
    y: str
    text: str


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    grid: list[Grid] = field(default_factory=list)
    lines: dict[str, str] = field(default_factory=dict)  # name -> polyline points
    plot: dict[str, str] = field(default_factory=dict)  # x0, x1, y0, y1 of the plot area
    empty: bool = False


def _grid(top: Decimal, y_of, ticks: int) -> list[Grid]:  # type: ignore[no-untyped-def]
    return [
        Grid(
            svg_number(y_of(top * i / ticks)),
            tick_text((top * i / ticks).quantize(Decimal("0.01"))),
        )
        for i in range(ticks + 1)
    ]


def column_chart(
    items: Sequence[tuple[str, Decimal]], width: int = 640, height: int = 220
) -> Chart:
    """Vertical bars, one per item (e.g. help by month)."""
    left, right, top, bottom = 56, 8, 12, 28
    plot_w = Decimal(width - left - right)
    plot_h = Decimal(height - top - bottom)
    peak = max((v for _, v in items), default=ZERO)
    ceiling, ticks = nice_axis(peak)
    chart = Chart(width, height, empty=peak <= 0)

    def y_of(value: Decimal) -> Decimal:
        return Decimal(top) + plot_h - plot_h * value / ceiling

    chart.grid = _grid(ceiling, y_of, ticks)
    slot = plot_w / max(len(items), 1)
    bar_w = slot * Decimal("0.7")
    for i, (label, value) in enumerate(items):
        x = Decimal(left) + slot * i + (slot - bar_w) / 2
        y = y_of(value)
        chart.bars.append(
            Bar(
                x=svg_number(x),
                y=svg_number(y),
                w=svg_number(bar_w),
                h=svg_number(Decimal(top) + plot_h - y),
                label=label,
                value=tick_text(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
                if value
                else "",
                label_x=svg_number(x + bar_w / 2),
                label_y=svg_number(Decimal(height - bottom + 16)),
                value_x=svg_number(x + bar_w / 2),
                value_y=svg_number(y - 3),
            )
        )
    chart.plot = {
        "x0": str(left),
        "x1": str(width - right),
        "y0": str(top),
        "y1": svg_number(Decimal(top) + plot_h),
    }
    return chart


def bar_chart(items: Sequence[tuple[str, int]], width: int = 640, row: int = 26) -> Chart:
    """Horizontal bars with counts (e.g. households by tier)."""
    left, right, top = 150, 60, 6
    height = top * 2 + row * max(len(items), 1)
    peak = max((v for _, v in items), default=0)
    chart = Chart(width, height, empty=peak <= 0)
    span = Decimal(width - left - right)
    for i, (label, value) in enumerate(items):
        w = span * value / peak if peak else ZERO
        y = Decimal(top + row * i + 4)
        chart.bars.append(
            Bar(
                x=str(left),
                y=svg_number(y),
                w=svg_number(w),
                h=str(row - 8),
                label=label,
                value=str(value),
                label_x=str(left - 8),
                label_y=svg_number(y + Decimal(row - 8) / 2 + 4),
                value_x=svg_number(Decimal(left) + w + 6),
                value_y=svg_number(y + Decimal(row - 8) / 2 + 4),
            )
        )
    return chart


def burn_chart(
    used_by_month: Sequence[Decimal | None],
    budget: Decimal,
    width: int = 640,
    height: int = 240,
) -> Chart:
    """Cumulative use month by month against the budget and an even pace through the year.

    `used_by_month` has twelve entries: the use at the end of each month, None for months
    still to come.
    """
    left, right, top, bottom = 64, 12, 12, 28
    plot_w = Decimal(width - left - right)
    plot_h = Decimal(height - top - bottom)
    known = [v for v in used_by_month if v is not None]
    peak = max([budget, *known]) if known else budget
    ceiling, ticks = nice_axis(peak)
    chart = Chart(width, height, empty=budget <= 0 and not any(known))

    def x_of(month: int) -> Decimal:
        return Decimal(left) + plot_w * month / 12

    def y_of(value: Decimal) -> Decimal:
        return Decimal(top) + plot_h - plot_h * value / ceiling

    def point(month: int, value: Decimal) -> str:
        return f"{svg_number(x_of(month))},{svg_number(y_of(value))}"

    chart.grid = _grid(ceiling, y_of, ticks)
    points = [point(0, ZERO)]
    for month, value in enumerate(used_by_month, start=1):
        if value is None:
            break
        points.append(point(month, value))
    chart.lines = {
        "used": " ".join(points),
        "pace": f"{point(0, ZERO)} {point(12, budget)}",
        "budget": f"{point(0, budget)} {point(12, budget)}",
    }
    for month in range(1, 13):
        chart.bars.append(
            Bar(
                x=svg_number(x_of(month)),
                y="0",
                w="0",
                h="0",
                label=str(month),
                value="",
                label_x=svg_number(x_of(month) - plot_w / 24),
                label_y=svg_number(Decimal(height - bottom + 16)),
                value_x="0",
                value_y="0",
            )
        )
    chart.plot = {
        "x0": str(left),
        "x1": str(width - right),
        "y0": str(top),
        "y1": svg_number(Decimal(top) + plot_h),
    }
    return chart
