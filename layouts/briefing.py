"""The meeting briefing as a PDF: "Báo cáo tình hình thực hiện ...", A4, page numbers, embedded fonts.

The charts are the dashboard's own figures rendered by kaleido, so the report shows the same images.
"""

from __future__ import annotations

import atexit
import io
import threading
import time
import warnings
from collections import defaultdict
from datetime import date
from pathlib import Path

import plotly.graph_objects as go

from dashboard.kpi.red_flags import Flag
from dashboard.kpi.values import KpiSnapshot
from dashboard.messages import label, t
from dashboard.records import TaskRow

from . import charts
from .flag_text import flag_detail
from .formatting import vn_date, with_unit

FONT_DIRS = (
    "/usr/share/fonts/truetype/open-sans",
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/opentype/open-sans",
)
FONT_FILES = (
    ("OpenSans-Regular.ttf", "OpenSans-Bold.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
)


MAX_TEXT = 600  # characters of one name or line in the briefing


def _flag_line(fl: Flag, lang: str, with_code: bool = False) -> str:
    """One red flag as a bullet line: its kind, (code,) title and detail."""
    code = f"{fl.code} · " if with_code and fl.code else ""
    return f"• {label('flag', fl.kind, lang)}: {code}{fl.title} — {flag_detail(fl, lang)}"


def _kpi_line(s: KpiSnapshot, lang: str) -> str:
    """A KPI as a bullet line: code, name, value and target."""
    return (
        f"• {s.indicator.code} {charts.short_name(s.indicator, lang)}: {with_unit(s.value, s.indicator.unit, lang)} "
        f"({t('pdf.target', lang)} {charts.target_text(s.indicator, lang)})"
    )


def _gauges(heads: list[KpiSnapshot], lang: str):  # noqa: ANN202
    """The headline gauges side by side across the page (the dashboard's own charts)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, Table

    width = (A4[0] - 3 * cm) / len(heads)
    images = [
        Image(io.BytesIO(chart_png(charts.gauge(s, lang, height=300), 600, 420)), width=width, height=width * 0.7)
        for s in heads
    ]
    return Table([images], colWidths=[width] * len(images))


def _task_lines(tasks: list[TaskRow], lang: str) -> list[list[str]]:
    """An agency's tasks as table lines: code, name, deadline (its date, else its words), status."""
    return [
        [
            tk.code or "",
            tk.name,
            vn_date(tk.due_date) if tk.due_date else (tk.deadline_text or ""),
            label("status", tk.status, lang),
        ]
        for tk in tasks
    ]


class BriefingError(RuntimeError):
    """The briefing cannot be made on this machine (fonts or the chart renderer missing)."""


def _fonts() -> tuple[str, str]:
    """Register a TrueType font with Vietnamese glyphs (embedded in the PDF); returns (regular, bold) names."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for regular, bold in FONT_FILES:
        for folder in FONT_DIRS:
            r, b = Path(folder) / regular, Path(folder) / bold
            if r.exists() and b.exists():
                if "VN" not in pdfmetrics.getRegisteredFontNames():
                    pdfmetrics.registerFont(TTFont("VN", str(r)))
                    pdfmetrics.registerFont(TTFont("VN-Bold", str(b)))
                return "VN", "VN-Bold"
    raise BriefingError("no Vietnamese-capable TrueType font found; install fonts-open-sans (Debian)")


_renderer_lock = threading.Lock()
_renderer_started = False


def _renderer(restart: bool = False) -> None:
    """Keep one headless Chromium for kaleido in this process: starting one per chart costs about 3 s, a
    chart on a running one about 0.2 s (a briefing has five charts, a per-agency one more)."""
    global _renderer_started
    import kaleido

    with _renderer_lock:
        if restart and _renderer_started:
            kaleido.stop_sync_server(silence_warnings=True)
            _renderer_started = False
        if not _renderer_started:
            kaleido.start_sync_server(silence_warnings=True)
            if not restart:
                atexit.register(kaleido.stop_sync_server, silence_warnings=True)
            _renderer_started = True


def stop_renderer() -> None:
    """Stop the kept Chromium. A job thread calls this when it has nothing more to do: a renderer started there
    and still open when the process exits does not close (the process would wait for it forever)."""
    global _renderer_started
    import kaleido

    with _renderer_lock:
        if _renderer_started:
            kaleido.stop_sync_server(silence_warnings=True)
            _renderer_started = False


def chart_png(fig, width: int, height: int) -> bytes:  # noqa: ANN001
    """A dashboard figure as PNG, rendered by kaleido (headless Chromium), offline."""
    # On a loaded machine kaleido's page sometimes answers before its script has loaded ("kaleido_scopes is
    # not defined"), or its browser has gone: a few more tries on a fresh browser, each after a longer pause,
    # then give up with a message.
    for attempt in range(4):
        try:
            _renderer(restart=attempt > 0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # "kopts is ignored if using a server"
                return go.Figure(fig).to_image(format="png", width=width, height=height, scale=2)
        except Exception as exc:  # noqa: BLE001 - kaleido reports a missing browser in several ways
            if attempt == 3:
                raise BriefingError(f"charts cannot be rendered (kaleido/Chromium): {exc}") from None
            time.sleep(0.5 * (attempt + 1))
    raise AssertionError("unreachable")


def build_pdf(
    plan: dict,
    today: date,
    heads: list[KpiSnapshot],
    snaps: list[KpiSnapshot],
    flags: list[Flag],
    tasks: list[TaskRow],
    agency_pages: list[dict] | None = None,
    demo: bool = False,
    lang: str = "vi",
    agency: str | None = None,
) -> bytes:
    """The briefing for one plan as of ``today``, in ``lang``; ``agency_pages`` adds a page per agency.

    With ``agency`` it is that agency's own briefing (its KPIs, tasks and flags, as given): text and tables
    without charts, with the list of its tasks, so a pack of forty prints in seconds."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from reportlab.platypus.flowables import KeepTogether

    regular, bold = _fonts()
    styles = {
        "title": ParagraphStyle("title", fontName=bold, fontSize=15, leading=19, spaceAfter=6),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4),
        "body": ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5),
        "small": ParagraphStyle("small", fontName=regular, fontSize=8.5, leading=11),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=8, leading=10),
    }

    def p(text: str, style: str = "body") -> Paragraph:
        from xml.sax.saxutils import escape

        # A paragraph taller than a page stops reportlab: a name of thousands of characters is cut.
        text = str(text)
        text = text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
        return Paragraph(escape(text), styles[style])

    def grid(rows: list[list], widths_cm: list[float]) -> Table:
        """A table with a shaded header row repeated on each page."""
        table = Table(rows, colWidths=[w * cm for w in widths_cm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE7F0")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return table

    story: list = [
        p(t("pdf.title", lang, plan=f"{plan['title'][0].lower()}{plan['title'][1:]}"), "title"),
        p(f"{plan['issuer'] or plan['province']} · {plan['doc_number'] or ''} · {t('as_of', lang)} {vn_date(today)}"),
    ]
    if agency:
        story.append(p(t("pdf.agency", lang, name=agency), "h2"))
    if demo:
        story.append(p(t("pdf.demo", lang), "small"))
    story.append(p(t("pdf.headline", lang), "h2"))
    if not heads:
        story.append(p(t("no_headline", lang)))
    elif agency:  # an agency's own briefing: its headline KPIs in words, no charts
        story += [p(_kpi_line(s, lang)) for s in heads]
    else:
        story.append(_gauges(heads, lang))
    story.append(p(t("pdf.kpis", lang), "h2"))
    if snaps:
        rows = [[p(t(k, lang), "cell") for k in ("code", "kpi", "target", "current", "pdf.assessment")]]
        rows += [
            [
                p(s.indicator.code, "cell"),
                p(s.indicator.name, "cell"),
                p(charts.target_text(s.indicator, lang), "cell"),
                p(with_unit(s.value, s.indicator.unit, lang), "cell"),
                p(label("kpi_state", s.status, lang), "cell"),
            ]
            for s in snaps
        ]
        story.append(grid(rows, [1.1, 9.4, 2.3, 2.2, 2.5]))
    else:
        story.append(p(t("no_kpis", lang)))
    story.append(p(t("pdf.flags", lang, n=len(flags)), "h2"))
    by_agency: dict[str, list[Flag]] = defaultdict(list)
    for fl in flags:
        by_agency[fl.agencies[0] if fl.agencies else t("pdf.no_agency", lang)].append(fl)
    if not flags:
        story.append(p(t("no_flags", lang)))
    for agency, items in sorted(by_agency.items(), key=lambda kv: -max(f.severity for f in kv[1])):
        lines = [p(f"{agency} ({len(items)})", "body")]
        lines += [p(_flag_line(f, lang, with_code=True), "small") for f in items]
        story.append(KeepTogether(lines))
        story.append(Spacer(1, 4))
    story.append(p(t("pdf.quarters", lang), "h2"))
    dated = [tk for tk in tasks if tk.deadline_kind == "date"]
    if not agency:
        story.append(
            Image(
                io.BytesIO(chart_png(charts.quarter_bars(tasks, plan["year"], lang), 1000, 480)),
                width=A4[0] - 3 * cm,
                height=(A4[0] - 3 * cm) * 0.48,
            )
        )
    counts = defaultdict(int)
    for tk in tasks:
        counts[tk.status] += 1
    story.append(
        p(
            t("pdf.task_counts", lang, n=len(tasks), dated=len(dated))
            + "; ".join(f"{label('status', k, lang)} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
        )
    )
    if agency and tasks:
        header = [t(k, lang) for k in ("code", "task", "deadline", "status")]
        rows = [[p(text, "cell") for text in line] for line in [header, *_task_lines(tasks, lang)]]
        story.append(grid(rows, [1.3, 10.4, 2.6, 3.2]))
    for page in agency_pages or []:
        story.append(PageBreak())
        story.append(p(t("pdf.agency", lang, name=page["name"]), "title"))
        counts = {"lead": len(page["lead"]), "coordinating": len(page["coordinating"]), "flags": len(page["flags"])}
        story.append(p(t("pdf.agency_counts", lang, **counts)))
        for s in page["snaps"]:
            story.append(p(_kpi_line(s, lang), "small"))
        for fl in page["flags"]:
            story.append(p(_flag_line(fl, lang), "small"))

    out = io.BytesIO()

    def footer(canvas, doc) -> None:  # noqa: ANN001
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.drawString(1.5 * cm, 1 * cm, f"{plan['province']} · {vn_date(today)}")
        canvas.drawRightString(A4[0] - 1.5 * cm, 1 * cm, t("pdf.page", lang, n=doc.page))
        canvas.restoreState()

    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.6 * cm,
        title=t("pdf.doc_title", lang, province=plan["province"]),
        author=t("app_title", lang),
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
