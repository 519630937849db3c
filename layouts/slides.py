"""The meeting's slide deck (PowerPoint, 16:9): a title slide, one slide per headline KPI, the red flags, the
quarter timeline and the agency ranking. Every word and number is real text (searchable, editable, read
aloud); the gauge and the quarter chart are the dashboard's own figures as images beside it."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from datetime import date

from dashboard.kpi.red_flags import Flag
from dashboard.kpi.values import KpiSnapshot
from dashboard.messages import label, t
from dashboard.records import TaskRow

from . import charts
from .briefing import chart_png
from .flag_text import flag_detail
from .formatting import vn_date, vn_percent, with_unit

FLAGS_PER_SLIDE = 8
RANKED = 15  # agencies per ranking slide
FONT = "Arial"  # present in every Office install, with Vietnamese glyphs


def build_pptx(
    plan: dict,
    today: date,
    heads: list[KpiSnapshot],
    flags: list[Flag],
    tasks: list[TaskRow],
    ranking: list[dict],
    lang: str = "vi",
    demo: bool = False,
    progress: Callable[[int, int], None] | None = None,
    **_unused: object,
) -> bytes:
    """The deck for one plan as of ``today`` in ``lang``; ``progress(done, total)`` after each slide."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    flag_pages = [flags[i : i + FLAGS_PER_SLIDE] for i in range(0, len(flags), FLAGS_PER_SLIDE)] or [[]]
    ranked = [ranking[i : i + RANKED] for i in range(0, len(ranking), RANKED)] or [[]]
    total = 1 + len(heads) + len(flag_pages) + 1 + len(ranked)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    _title_slide(deck, plan, today, lang, demo)
    step()
    for snap in heads:
        _kpi_slide(deck, snap, plan, today, lang)
        step()
    for n, page in enumerate(flag_pages, start=1):
        _flags_slide(deck, page, len(flags), n, len(flag_pages), plan, today, lang)
        step()
    _timeline_slide(deck, tasks, plan, today, lang)
    step()
    for n, page in enumerate(ranked):
        _ranking_slide(deck, page, 1 + n * RANKED, (n + 1, len(ranked)), plan, today, lang)
        step()
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _blank(deck, plan: dict, today: date, lang: str, title: str):  # noqa: ANN001, ANN202
    """A slide with its title and a footer naming the province and the "as of" date."""
    from pptx.util import Inches, Pt

    slide = deck.slides.add_slide(deck.slide_layouts[6])
    _text(slide, title, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.9), Pt(32), bold=True)
    footer = f"{plan['province']} · {t('as_of', lang)} {vn_date(today)}"
    _text(slide, footer, Inches(0.5), Inches(6.95), Inches(12.3), Inches(0.4), Pt(12), color=(0x55, 0x55, 0x55))
    return slide


def _text(slide, text: str, left, top, width, height, size, bold: bool = False, color=None):  # noqa: ANN001, ANN202
    from pptx.dml.color import RGBColor

    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    lines = text.split("\n")
    for i, line in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = line
        run.font.size = size
        run.font.bold = bold
        run.font.name = FONT
        if color is not None:
            run.font.color.rgb = RGBColor(*color)
    return box


def _title_slide(deck, plan: dict, today: date, lang: str, demo: bool) -> None:  # noqa: ANN001
    from pptx.util import Inches, Pt

    slide = deck.slides.add_slide(deck.slide_layouts[6])
    title = t("pdf.title", lang, plan=f"{plan['title'][0].lower()}{plan['title'][1:]}")
    _text(slide, title, Inches(0.8), Inches(1.6), Inches(11.7), Inches(2.6), Pt(34), bold=True)
    sub = f"{plan['issuer'] or plan['province']} · {plan['doc_number'] or ''}\n{t('as_of', lang)} {vn_date(today)}"
    _text(slide, sub, Inches(0.8), Inches(4.4), Inches(11.7), Inches(1.2), Pt(20))
    if demo:
        _text(slide, t("pdf.demo", lang), Inches(0.8), Inches(5.8), Inches(11.7), Inches(0.6), Pt(14))


def _kpi_slide(deck, snap: KpiSnapshot, plan: dict, today: date, lang: str) -> None:  # noqa: ANN001
    from pptx.util import Inches, Pt

    ind = snap.indicator
    slide = _blank(deck, plan, today, lang, charts.short_name(ind, lang))
    _text(slide, with_unit(snap.value, ind.unit, lang), Inches(0.6), Inches(1.7), Inches(5), Inches(1.4), Pt(66), True)
    lines = [
        f"{t('target', lang)} {charts.target_text(ind, lang)}",
        label("kpi_state", snap.status, lang),
    ]
    if snap.previous is not None:
        lines.append(f"{t('slides.previous', lang)} {with_unit(snap.previous, ind.unit, lang)}")
    _text(slide, "\n".join(lines), Inches(0.6), Inches(3.3), Inches(5), Inches(1.8), Pt(24))
    _text(slide, ind.name, Inches(0.6), Inches(5.3), Inches(5.2), Inches(1.4), Pt(14), color=(0x44, 0x44, 0x44))
    image = chart_png(charts.gauge(snap, lang, height=300), 600, 420)
    slide.shapes.add_picture(io.BytesIO(image), Inches(6.2), Inches(1.5), width=Inches(6.6))


def _table(slide, header: list[str], rows: list[list[str]], widths: list[float], top: float, size: int) -> None:  # noqa: ANN001
    from pptx.util import Inches, Pt

    shape = slide.shapes.add_table(
        len(rows) + 1, len(header), Inches(0.5), Inches(top), Inches(sum(widths)), Inches(0.5 * (len(rows) + 1))
    )
    table = shape.table
    for c, width in enumerate(widths):
        table.columns[c].width = Inches(width)
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = str(value)
            for para in cell.text_frame.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(size)
                    run.font.name = FONT
                    run.font.bold = r == 0


def _flags_slide(deck, page: list[Flag], total: int, n: int, pages: int, plan: dict, today: date, lang: str) -> None:  # noqa: ANN001
    title = t("slides.flags", lang, n=total) + (f" ({n}/{pages})" if pages > 1 else "")
    slide = _blank(deck, plan, today, lang, title)
    if not page:
        from pptx.util import Inches, Pt

        _text(slide, t("no_flags", lang), Inches(0.6), Inches(1.6), Inches(12), Inches(1), Pt(24))
        return
    rows = [
        [
            label("flag", fl.kind, lang),
            fl.agencies[0] if fl.agencies else "",
            _cut(fl.title, 110),
            flag_detail(fl, lang),
        ]
        for fl in page
    ]
    header = [t(k, lang) for k in ("slides.kind", "lead", "slides.item", "slides.detail")]
    _table(slide, header, rows, [2.0, 2.6, 5.2, 2.5], 1.3, 13)


def _timeline_slide(deck, tasks: list[TaskRow], plan: dict, today: date, lang: str) -> None:  # noqa: ANN001
    from pptx.util import Inches, Pt

    slide = _blank(deck, plan, today, lang, t("wall_timeline", lang))
    image = chart_png(charts.quarter_bars(tasks, plan["year"], lang), 1000, 480)
    slide.shapes.add_picture(io.BytesIO(image), Inches(0.5), Inches(1.2), width=Inches(8.6))
    counts = Counter(tk.status for tk in tasks)
    lines = [t("slides.tasks", lang, n=len(tasks))]
    lines += [f"{label('status', k, lang)}: {v}" for k, v in counts.most_common()]
    _text(slide, "\n".join(lines), Inches(9.4), Inches(1.4), Inches(3.6), Inches(5), Pt(18))


def _ranking_slide(
    deck,  # noqa: ANN001
    ranking: list[dict],
    start: int,
    pages: tuple[int, int],
    plan: dict,
    today: date,
    lang: str,
) -> None:
    n, total = pages
    slide = _blank(deck, plan, today, lang, t("wall_ranking", lang) + (f" ({n}/{total})" if total > 1 else ""))
    rows = [
        [
            str(i),
            _cut(r["name"], 60),
            str(r["tasks"]),
            str(r["overdue"]),
            vn_percent(r["on_time_rate"], 0, lang) if r["on_time_rate"] is not None else "–",
        ]
        for i, r in enumerate(ranking, start=start)
    ]
    header = [t(k, lang) for k in ("rank", "agencies", "slides.led", "overdue_tasks", "on_time_rate")]
    _table(slide, header, rows, [0.8, 6.0, 1.7, 1.7, 2.1], 1.2, 13)


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
