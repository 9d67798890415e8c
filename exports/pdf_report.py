"""PDF summaries for meetings: the regional summary here, the national one in pdf_national.

`build_region_report(conn, region, period, lang, path, ...)` writes an A4 portrait PDF: header,
key figures with a chart of progress per section, the 27 actions grouped by section, women's
representation against the target, indicators with trends, a signature block, and in every footer
"page x of y" with a fingerprint of the data the report was made from. No Qt."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Spacer

from db import queries, rules
from db.demo_rows import scope_has_demo
from db.errors import PlanMonitorError
from db.periods import parse_period, previous_period
from exports import pdf_charts as charts
from exports.pdf_fonts import register_fonts
from exports.pdf_layout import (
    CONTENT_WIDTH,
    DUE_SOON_COLOR,
    OVERDUE_COLOR,
    OVERDUE_FILL,
    SECTION_FILL,
    STATUS_COLORS,
    Figure,
    PageFrame,
    Progress,
    Steps,
    data_table,
    esc,
    figures_table,
    fingerprint,
    fmt_date,
    fmt_number,
    fmt_percent,
    heading,
    para,
    period_label,
    signature_block,
    status_markup,
    styles,
    title_block,
    with_signature,
    write_pdf,
)
from exports.report_sections import DEFAULT_SECTIONS, OPTIONAL_SECTIONS
from resources import formatting
from resources.words import tr

MAX_MEASURES_CHARS = 600
ACTION_WIDTHS = (20, 134, 58, 80, 129, 89)
GENDER_WIDTHS = (18, 236, 50, 50, 70, 86)
INDICATOR_WIDTHS = (38, 174, 52, 52, 52, 46, 50, 46)
TREND_ARROWS = {"up": "↑", "down": "↓", "flat": "→"}


def check_sections(sections: Iterable[str] | None, allowed: tuple[str, ...],
                   default: frozenset[str]) -> frozenset[str]:
    chosen = frozenset(default if sections is None else sections)
    unknown = sorted(chosen - set(allowed))
    if unknown:
        raise PlanMonitorError("report.error.unknown_section", name=", ".join(unknown),
                               allowed=", ".join(allowed))
    return chosen


def demo_mark(conn: sqlite3.Connection, lang: str, region: str | None, period: str) -> str:
    """The demo mark for every page when the summary's figures include demo data."""
    return tr("demo.mark", lang) if scope_has_demo(conn, region, period) else ""


def check_region(conn: sqlite3.Connection, region: str) -> None:
    if not conn.execute("SELECT 1 FROM region WHERE code = ?", (region,)).fetchone():
        raise PlanMonitorError("error.unknown_region", region=region)


# --- Data ----------------------------------------------------------------------------------------

@dataclass
class RegionData:
    region: str
    region_name: str
    period: str
    today: date
    as_of: str | None
    parts: list[queries.SectionProgress]
    overall: rules.Progress
    actions: list[queries.ActionRow]
    gender: list[queries.GenderRow]
    indicators: list[queries.IndicatorRow]

    def fingerprint(self) -> str:
        """The same data gives the same fingerprint in every language."""
        return fingerprint({
            "region": self.region, "period": self.period, "as_of": self.as_of,
            "actions": [(a.no, a.status, a.progress_note, a.evidence, a.revision, a.due_date)
                        for a in self.actions],
            "gender": [(g.body_code, g.women, g.total, g.prev_women, g.prev_total)
                       for g in self.gender],
            "indicators": [(i.code, i.disaggregation_code, i.value, i.prev_value)
                           for i in self.indicators]})


def collect_region(conn: sqlite3.Connection, region: str, period: str, lang: str,
                   today: date) -> RegionData:
    parts = queries.section_progress(conn, region, period, lang)
    return RegionData(
        region=region, region_name=queries.region_name(conn, region, lang), period=period,
        today=today, as_of=queries.data_as_of(conn, region, period), parts=parts,
        overall=queries.overall_progress(parts),
        actions=queries.action_rows(conn, region, period, lang, today),
        gender=queries.gender_rows(conn, region, period, lang),
        indicators=queries.indicator_rows(conn, region, period, lang))


# --- Blocks --------------------------------------------------------------------------------------

def header(kind_key: str, place: str, period: str, as_of: str | None, printed: date,
           lang: str) -> list[Flowable]:
    return [para(esc(tr("report.title", lang)), styles().small),
            *title_block(tr(kind_key, lang), place,
                         tr("report.header.period", lang, period=period_label(period, lang)),
                         tr("report.header.as_of", lang, date=fmt_date(as_of, lang)) if as_of
                         else tr("report.header.no_data", lang),
                         tr("report.header.printed", lang, date=fmt_date(printed, lang)))]


def key_figures(data: RegionData, lang: str) -> list[Flowable]:
    counts = data.overall.counts
    figures = [Figure(tr("report.figures.actions", lang), str(data.overall.total))]
    figures += [Figure(tr(f"status.{status}", lang), str(counts[status]),
                       STATUS_COLORS[status]) for status in rules.PROGRESS_KEYS]
    figures += [
        Figure(tr("report.figures.overdue", lang), str(sum(a.overdue for a in data.actions)),
               OVERDUE_COLOR),
        Figure(tr("report.figures.due_soon", lang, days=rules.DUE_SOON_DAYS),
               str(sum(a.due_soon for a in data.actions)), DUE_SOON_COLOR),
        Figure(tr("report.figures.progress", lang), fmt_percent(data.overall.percent, lang))]
    return [*heading(tr("report.figures.title", lang)), figures_table(figures), Spacer(1, 8),
            section_chart(data.parts, lang),
            para(esc(tr("report.chart.progress_rule", lang)), styles().small)]


def section_chart(parts: list[queries.SectionProgress], lang: str) -> Flowable:
    bars = [charts.Bar(tr("report.section_label", lang, code=p.section.code, name=p.section.name),
                       p.progress.percent, charts.progress_color(p.progress.percent))
            for p in parts]
    return charts.bar_chart(bars, CONTENT_WIDTH, tr("report.chart.section_progress", lang),
                            value_text=lambda v: fmt_number(v, lang))


def trimmed(text: str, lang: str) -> str:
    if len(text) <= MAX_MEASURES_CHARS:
        return esc(text)
    cut = text[:MAX_MEASURES_CHARS].rsplit(" ", 1)[0]
    return (f"{esc(cut)}… <font color=\"#666666\">{esc(tr('report.actions.trimmed', lang))}"
            "</font>")


def action_cells(a: queries.ActionRow, lang: str) -> list[Paragraph]:
    s = styles()
    status = status_markup(a.status, lang)
    if a.overdue:
        status += (f'<br/><font color="{OVERDUE_COLOR}"><b>'
                   f'{esc(tr("report.actions.overdue_mark", lang))}</b></font>')
    elif a.due_soon:
        status += (f'<br/><font color="{DUE_SOON_COLOR}">'
                   f'{esc(tr("report.actions.due_soon_mark", lang))}</font>')
    if not a.reported:
        status += f'<br/><font color="#666666">{esc(tr("report.actions.not_reported", lang))}</font>'
    deadline = esc(a.deadline)
    if a.due_date:
        deadline += f'<br/><font color="#666666">{fmt_date(a.due_date, lang)}</font>'
    return [para(str(a.no), s.cell_bold), para(esc(a.name), s.cell), para(deadline, s.cell),
            para(status, s.cell), para(trimmed(a.progress_note, lang), s.cell),
            para(esc(a.agencies), s.cell)]


def actions_block(data: RegionData, lang: str, overdue_only: bool) -> list[Flowable]:
    title = tr("report.actions.title_overdue" if overdue_only else "report.actions.title", lang)
    actions = [a for a in data.actions if a.overdue or not overdue_only]
    if not actions:
        return [*heading(title), para(esc(tr("report.actions.none_overdue", lang)))]
    rows, extra = [], []
    for part in data.parts:
        in_section = [a for a in actions if a.section_no == part.section.no]
        if not in_section:
            continue
        row = len(rows) + 1
        rows.append([para("<b>" + esc(tr("report.actions.section_row", lang, code=part.section.code,
                                          name=part.section.name,
                                          percent=formatting.percent_number(part.progress.percent, lang)))
                          + "</b>", styles().cell)] + [""] * 5)
        extra += [("SPAN", (0, row), (-1, row)), ("BACKGROUND", (0, row), (-1, row), SECTION_FILL),
                  ("NOSPLIT", (0, row), (-1, row + 1))]  # a section row never ends a page
        for a in in_section:
            if a.overdue:
                extra.append(("BACKGROUND", (0, len(rows) + 1), (-1, len(rows) + 1), OVERDUE_FILL))
                extra.append(("LINEBEFORE", (0, len(rows) + 1), (0, len(rows) + 1), 2.5,
                              colors.HexColor(OVERDUE_COLOR)))
            rows.append(action_cells(a, lang))
    header_row = [tr("report.col.no", lang), tr("report.col.action", lang),
                  tr("report.col.deadline", lang), tr("field.status", lang),
                  tr("field.progress_note", lang), tr("report.col.agencies", lang)]
    return [*heading(title), data_table(header_row, rows, ACTION_WIDTHS, extra)]


def change_text(row: queries.GenderRow, lang: str) -> str:
    if row.share is None or row.prev_share is None:
        return tr("report.none", lang)
    delta = round(row.share - row.prev_share, 1)
    sign = "+" if delta > 0 else ""
    return sign + fmt_number(delta, lang)


def share_markup(share: float | None, lang: str) -> str:
    text = esc(fmt_percent(share, lang))
    if share is not None and share < rules.GENDER_TARGET_PERCENT:
        return (f'<font color="{OVERDUE_COLOR}">{text}</font><br/><font color="#666666">'
                f'{esc(tr("report.gender.below_target", lang))}</font>')
    return text


def gender_block(data: RegionData, lang: str) -> list[Flowable]:
    s = styles()
    target = fmt_number(rules.GENDER_TARGET_PERCENT, lang)
    rows = [[para(str(n), s.cell), para(esc(g.name), s.cell),
             para(fmt_number(g.women, lang), s.cell_right),
             para(fmt_number(g.total, lang), s.cell_right),
             para(esc(tr("gender_incomplete.cell", lang)) if g.incomplete
                  else share_markup(g.share, lang), s.cell_right),
             para(change_text(g, lang), s.cell_right)] for n, g in enumerate(data.gender, 1)]
    women, total = queries.gender_totals(data.gender)
    share = rules.share_percent(women, total)
    rows.append([para("", s.cell), para(f"<b>{esc(tr('report.gender.total_row', lang))}</b>", s.cell),
                 para(f"<b>{fmt_number(women, lang)}</b>", s.cell_right),
                 para(f"<b>{fmt_number(total, lang)}</b>", s.cell_right),
                 para(f"<b>{share_markup(share, lang)}</b>", s.cell_right), para("", s.cell)])
    header_row = [tr("report.col.no", lang), tr("report.col.body", lang), tr("field.women", lang),
                  tr("field.total", lang), tr("field.share", lang), tr("report.col.change", lang)]
    bars = [charts.Bar(f"{n}. {g.name}", g.share, gender_color(g.share))
            for n, g in enumerate(data.gender, 1)]
    chart = charts.bar_chart(bars, CONTENT_WIDTH, tr("report.gender.chart", lang, target=target),
                             value_text=lambda v: fmt_number(v, lang),
                             target=rules.GENDER_TARGET_PERCENT)
    note = tr("report.gender.target_note", lang, target=target,
              period=period_label(previous_period(data.period), lang))
    incomplete = queries.incomplete_bodies(data.gender)
    if incomplete:
        note += " " + tr("gender_incomplete.note", lang, count=incomplete)
    return [*heading(tr("report.gender.title", lang)), para(esc(note), s.small), Spacer(1, 3),
            data_table(header_row, rows, GENDER_WIDTHS,
                       [("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black)]),
            Spacer(1, 8), chart]


def gender_color(share: float | None) -> colors.Color:
    if share is None:
        return colors.lightgrey
    return charts.GOOD if share >= rules.GENDER_TARGET_PERCENT else charts.WEAK


def value_with_year(value: float | None, year: int | None, lang: str) -> str:
    text = fmt_number(value, lang)
    return f"{text}\n{year}" if value is not None and year else text


TREND_COLORS = {True: "#2e7d32", False: OVERDUE_COLOR, None: "#666666"}


def indicator_name(row: queries.IndicatorRow, first: bool, several: bool) -> str:
    name = f"<b>{esc(row.name)}</b>" if first else ""
    if several:
        name += ("<br/>" if first else "") + f"· {esc(row.disaggregation)}"
    return name


def indicator_rows(data: RegionData, lang: str) -> tuple[list[list], list[tuple]]:
    """Rows of the indicator table (figures as plain strings) and their per-cell styles."""
    s = styles()
    _, bold = register_fonts()
    per_code: dict[str, int] = {}
    for i in data.indicators:
        per_code[i.code] = per_code.get(i.code, 0) + 1
    rows: list[list] = []
    extra: list[tuple] = [("ALIGN", (3, 1), (6, -1), "RIGHT"), ("ALIGN", (7, 1), (7, -1), "CENTER"),
                          ("FONT", (6, 1), (6, -1), bold, s.cell.fontSize)]
    seen: set[str] = set()
    for i in data.indicators:
        first = i.code not in seen
        seen.add(i.code)
        trend = TREND_ARROWS.get(i.trend, tr("report.none", lang))
        rows.append([i.code if first else "",
                     para(indicator_name(i, first, per_code[i.code] > 1), s.cell),
                     para(esc(tr(f"unit.{i.unit}", lang)), s.cell),
                     value_with_year(i.baseline_value, i.baseline_year, lang),
                     value_with_year(i.target_value, i.target_year, lang),
                     fmt_number(i.prev_value, lang), fmt_number(i.value, lang), trend])
        if i.trend:
            cell = (7, len(rows))
            extra += [("TEXTCOLOR", cell, cell, colors.HexColor(TREND_COLORS[i.improving])),
                      ("FONT", cell, cell, bold, 10)]
    return rows, extra


def indicators_block(data: RegionData, lang: str) -> list[Flowable]:
    s = styles()
    rows, extra = indicator_rows(data, lang)
    header_row = [tr(f"report.col.{k}", lang) for k in
                  ("code", "indicator", "unit", "baseline", "target", "previous", "latest",
                   "trend")]
    return [*heading(tr("report.indicators.title", lang)),
            para(esc(tr("report.indicators.legend", lang)), s.small), Spacer(1, 3),
            data_table(header_row, rows, INDICATOR_WIDTHS, extra)]


# --- The regional summary ------------------------------------------------------------------------

def region_story(data: RegionData, lang: str, chosen: frozenset[str], prepared_by: str,
                 steps: Steps) -> list[Flowable]:
    story = header("report.kind.region", data.region_name, data.period, data.as_of, data.today,
                   lang)
    story += key_figures(data, lang)
    steps.step()
    if "actions" in chosen or "overdue_only" in chosen:
        story += actions_block(data, lang, "overdue_only" in chosen)
    steps.step()
    if "gender" in chosen:
        story += gender_block(data, lang)
    steps.step()
    if "indicators" in chosen:
        story += indicators_block(data, lang)
    steps.step()
    return with_signature(story, signature_block(lang, prepared_by))


def build_region_report(conn: sqlite3.Connection, region: str, period: str, lang: str, path: Path,
                        *, sections: Iterable[str] | None = None, prepared_by: str = "",
                        progress: Progress = None, today: date | None = None) -> Path:
    """Write the regional summary to `path` (A4 PDF) and return it. `progress(done, total)`
    returning False cancels: then no file is written. `today` fixes "printed" and "overdue"."""
    chosen = check_sections(sections, OPTIONAL_SECTIONS, DEFAULT_SECTIONS)
    period = parse_period(period).code
    check_region(conn, region)
    today = today or datetime.now().date()
    steps = Steps(progress, 6)
    data = collect_region(conn, region, period, lang, today)
    steps.step()
    story = region_story(data, lang, chosen, prepared_by, steps)
    frame = PageFrame(running_header=f"{data.region_name} · {period_label(period, lang)}",
                      fingerprint=data.fingerprint(), lang=lang,
                      demo_mark=demo_mark(conn, lang, region, period))
    result = write_pdf(Path(path), story, frame, tr("report.title", lang))
    steps.step()
    return result
