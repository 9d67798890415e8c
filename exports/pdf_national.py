"""The national PDF summary (center mode): every region on one period.

Key figures, progress per section nationally, a region x section matrix of progress, the regions
that have not reported, women's representation nationally and per region, indicators across
regions and the most overdue actions. Built from db.national; layout shared with the regional
summary (exports.pdf_layout). No Qt."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from reportlab.lib import colors
from reportlab.platypus import Flowable, Spacer

from db import national, queries, rules
from db.errors import PlanMonitorError
from db.office import load_office
from db.periods import parse_period, previous_period
from exports import pdf_charts as charts
from exports.pdf_layout import (
    CONTENT_WIDTH,
    OVERDUE_COLOR,
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
    with_signature,
    write_pdf,
)
from exports.pdf_report import (
    change_text,
    check_sections,
    demo_mark,
    header,
    share_markup,
)
from exports.report_sections import NATIONAL_SECTIONS
from resources.words import tr

MATRIX_REGION_WIDTH = 126
MATRIX_OVERALL_WIDTH = 48
NATIONAL_GENDER_WIDTHS = (18, 236, 50, 56, 70, 80)
NATIONAL_INDICATOR_WIDTHS = (38, 170, 50, 48, 48, 44, 34, 44, 34)
OVERDUE_WIDTHS = (96, 20, 216, 56, 70, 52)
OVERDUE_LIMIT = 20
HEAT = ((75, "#c8e6c9"), (40, "#fff3c4"), (0, "#ffcdd2"))
NOT_REPORTED_FILL = colors.HexColor("#eeeeee")


@dataclass
class NationalData:
    period: str
    today: date
    as_of: str | None
    sections: list[queries.Section]
    matrix: list[national.RegionProgress]
    unreported: list[national.UnreportedRegion]
    gender: list[national.GenderShare]
    region_gender: list[national.GenderShare]
    indicators: list[national.IndicatorAcrossRegions]
    overdue: list[national.OverdueAction]

    def fingerprint(self) -> str:
        return fingerprint({
            "period": self.period, "as_of": self.as_of,
            "matrix": [(r.region.code, r.reported,
                        [sorted(p.counts.items()) for p in r.sections.values()])
                       for r in self.matrix],
            "unreported": [(u.region.code, u.last_period) for u in self.unreported],
            "gender": [(g.key, g.women, g.total, g.prev_women, g.prev_total)
                       for g in self.gender],
            "indicators": [(i.code, sorted(i.values.items())) for i in self.indicators],
            "overdue": [(o.region.code, o.action_no, o.status, o.days_overdue)
                        for o in self.overdue]})


def collect_national(conn: sqlite3.Connection, period: str, lang: str,
                     today: date) -> NationalData:
    return NationalData(
        period=period, today=today, as_of=national.national_data_as_of(conn, period),
        sections=queries.sections(conn, lang),
        matrix=national.progress_matrix(conn, period, lang),
        unreported=national.unreported_regions(conn, period, lang),
        gender=national.national_gender(conn, period, lang),
        region_gender=national.region_gender_shares(conn, period, lang),
        indicators=national.indicator_values_by_region(conn, period, lang),
        overdue=national.most_overdue_actions(conn, period, lang, today, limit=None))


# --- Blocks --------------------------------------------------------------------------------------

def key_figures(data: NationalData, lang: str) -> list[Flowable]:
    overall = national.combined_progress(data.matrix)
    reported = sum(r.reported for r in data.matrix)
    totals = national.national_gender_totals(data.gender)
    figures = [Figure(tr("report.figures.regions_reported", lang),
                      tr("report.figures.of_total", lang, count=reported,
                         total=len(data.matrix)))]
    figures += [Figure(tr(f"status.{status}", lang), str(overall.counts[status]),
                       STATUS_COLORS[status]) for status in rules.PROGRESS_KEYS
                if status != "not_applicable"]
    figures += [Figure(tr("report.figures.overdue", lang), str(len(data.overdue)), OVERDUE_COLOR),
                Figure(tr("report.figures.women_share", lang), fmt_percent(totals.share, lang)),
                Figure(tr("report.figures.progress", lang), fmt_percent(overall.percent, lang))]
    bars = []
    for section in data.sections:
        percent = national.combined_progress(data.matrix, section.no).percent
        bars.append(charts.Bar(tr("report.section_label", lang, code=section.code,
                                  name=section.name), percent, charts.progress_color(percent)))
    chart = charts.bar_chart(bars, CONTENT_WIDTH, tr("report.chart.section_progress", lang),
                             value_text=lambda v: fmt_number(v, lang))
    return [*heading(tr("report.figures.title", lang)), figures_table(figures), Spacer(1, 8),
            chart, para(esc(tr("report.chart.progress_rule", lang)), styles().small)]


def heat(percent: float) -> colors.Color:
    return colors.HexColor(next(color for floor, color in HEAT if percent >= floor))


def matrix_block(data: NationalData, lang: str) -> list[Flowable]:
    s = styles()
    none = tr("report.none", lang)
    column = (CONTENT_WIDTH - MATRIX_REGION_WIDTH - MATRIX_OVERALL_WIDTH) / len(data.sections)
    rows, extra = [], []
    for index, row in enumerate(data.matrix, 1):
        cells = [para(esc(row.region.name), s.cell)]
        parts = [*(row.sections[sec.no] for sec in data.sections), row.overall]
        for col_no, part in enumerate(parts, 1):
            cells.append(para(fmt_number(part.percent, lang) if row.reported else none,
                              s.cell_right))
            fill = heat(part.percent) if row.reported else NOT_REPORTED_FILL
            extra.append(("BACKGROUND", (col_no, index), (col_no, index), fill))
        rows.append(cells)
    totals = [national.combined_progress(data.matrix, sec.no) for sec in data.sections]
    totals.append(national.combined_progress(data.matrix))
    rows.append([para(f"<b>{esc(tr('report.national_name', lang))}</b>", s.cell),
                 *(para(f"<b>{fmt_number(p.percent, lang)}</b>", s.cell_right) for p in totals)])
    extra.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black))
    header_row = [tr("report.col.region", lang), *(sec.code for sec in data.sections),
                  tr("report.col.overall", lang)]
    widths = [MATRIX_REGION_WIDTH, *([column] * len(data.sections)), MATRIX_OVERALL_WIDTH]
    return [*heading(tr("report.national.matrix_title", lang)),
            para(esc(tr("report.national.matrix_note", lang)), s.small), Spacer(1, 3),
            data_table(header_row, rows, widths, extra)]


def missing_block(data: NationalData, lang: str) -> list[Flowable]:
    title = heading(tr("report.national.missing_title", lang))
    if not data.unreported:
        return [*title, para(esc(tr("report.national.missing_none", lang)))]
    lines = []
    for item in data.unreported:
        last = (tr("report.national.last_reported", lang,
                   period=period_label(item.last_period, lang)) if item.last_period
                else tr("report.national.never_reported", lang))
        lines.append(f'● <b>{esc(item.region.name)}</b> ({esc(item.region.code)}) — '
                     f'<font color="#666666">{esc(last)}</font>')
    return [*title, para("<br/>".join(lines))]


def gender_block(data: NationalData, lang: str) -> list[Flowable]:
    s = styles()
    target = fmt_number(rules.GENDER_TARGET_PERCENT, lang)
    rows = [[para(str(n), s.cell), para(esc(g.name), s.cell),
             para(fmt_number(g.women, lang), s.cell_right),
             para(fmt_number(g.total, lang), s.cell_right),
             para(share_markup(g.share, lang), s.cell_right),
             para(change_text(g, lang), s.cell_right)] for n, g in enumerate(data.gender, 1)]
    totals = national.national_gender_totals(data.gender)
    rows.append([para("", s.cell),
                 para(f"<b>{esc(tr('report.gender.total_row', lang))}</b>", s.cell),
                 para(f"<b>{fmt_number(totals.women, lang)}</b>", s.cell_right),
                 para(f"<b>{fmt_number(totals.total, lang)}</b>", s.cell_right),
                 para(f"<b>{share_markup(totals.share, lang)}</b>", s.cell_right),
                 para(change_text(totals, lang), s.cell_right)])
    header_row = [tr("report.col.no", lang), tr("report.col.body", lang), tr("field.women", lang),
                  tr("field.total", lang), tr("field.share", lang), tr("report.col.change", lang)]
    note = tr("report.gender.target_note", lang, target=target,
              period=period_label(previous_period(data.period), lang))
    bars = [charts.Bar(g.name, g.share, gender_color(g.share)) for g in data.region_gender]
    chart = charts.bar_chart(bars, CONTENT_WIDTH,
                             tr("report.national.gender_regions_chart", lang, target=target),
                             value_text=lambda v: fmt_number(v, lang),
                             target=rules.GENDER_TARGET_PERCENT)
    return [*heading(tr("report.national.gender_title", lang)), para(esc(note), s.small),
            Spacer(1, 3),
            data_table(header_row, rows, NATIONAL_GENDER_WIDTHS,
                       [("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black)]),
            Spacer(1, 8), chart]


def gender_color(share: float | None) -> colors.Color:
    if share is None:
        return colors.lightgrey
    return charts.GOOD if share >= rules.GENDER_TARGET_PERCENT else charts.WEAK


def indicators_block(data: NationalData, lang: str) -> list[Flowable]:
    s = styles()
    rows = [[para(esc(i.code), s.cell), para(esc(i.name), s.cell),
             para(esc(tr(f"unit.{i.unit}", lang)), s.cell),
             para(fmt_number(i.baseline_value, lang), s.cell_right),
             para(fmt_number(i.target_value, lang), s.cell_right),
             para(str(i.reported), s.cell_right),
             para(fmt_number(i.minimum, lang), s.cell_right),
             para(f"<b>{fmt_number(i.median, lang)}</b>", s.cell_right),
             para(fmt_number(i.maximum, lang), s.cell_right)] for i in data.indicators]
    header_row = [tr(f"report.col.{k}", lang) for k in
                  ("code", "indicator", "unit", "baseline", "target", "regions", "min", "median",
                   "max")]
    return [*heading(tr("report.national.indicators_title", lang)),
            data_table(header_row, rows, NATIONAL_INDICATOR_WIDTHS)]


def overdue_block(data: NationalData, lang: str) -> list[Flowable]:
    s = styles()
    title = heading(tr("report.national.overdue_title", lang))
    if not data.overdue:
        return [*title, para(esc(tr("report.actions.none_overdue", lang)))]
    rows = [[para(esc(o.region.name), s.cell), para(str(o.action_no), s.cell_bold),
             para(esc(o.action_name), s.cell), para(fmt_date(o.due_date, lang), s.cell),
             para(status_markup(o.status, lang), s.cell),
             para(f'<font color="{OVERDUE_COLOR}"><b>{o.days_overdue}</b></font>', s.cell_right)]
            for o in data.overdue[:OVERDUE_LIMIT]]
    header_row = [tr("report.col.region", lang), tr("report.col.no", lang),
                  tr("report.col.action", lang), tr("report.col.due_date", lang),
                  tr("field.status", lang), tr("report.col.days_overdue", lang)]
    return [*title, data_table(header_row, rows, OVERDUE_WIDTHS)]


# --- The national summary ------------------------------------------------------------------------

BLOCKS = {"matrix": matrix_block, "missing": missing_block, "gender": gender_block,
          "indicators": indicators_block, "overdue": overdue_block}


def build_national_report(conn: sqlite3.Connection, period: str, lang: str, path: Path, *,
                          sections: Iterable[str] | None = None, prepared_by: str = "",
                          progress: Progress = None, today: date | None = None) -> Path:
    """Write the national summary (center mode) to `path`."""
    office = load_office(conn)
    if not office.is_center:
        raise PlanMonitorError("report.error.national_needs_center", region=office.region_code)
    chosen = check_sections(sections, NATIONAL_SECTIONS, frozenset(NATIONAL_SECTIONS))
    period = parse_period(period).code
    today = today or datetime.now().date()
    steps = Steps(progress, len(NATIONAL_SECTIONS) + 3)
    data = collect_national(conn, period, lang, today)
    steps.step()
    place = tr("report.national_name", lang)
    story = header("report.kind.national", place, period, data.as_of, today, lang)
    story += key_figures(data, lang)
    steps.step()
    for name in NATIONAL_SECTIONS:
        if name == "comparisons" and name in chosen:  # over eight periods: reads its own data
            from exports.pdf_comparisons import comparisons_block

            story += comparisons_block(conn, period, lang)
        elif name in chosen:
            story += BLOCKS[name](data, lang)
        steps.step()
    story = with_signature(story, signature_block(lang, prepared_by))
    frame = PageFrame(running_header=f"{place} · {period_label(period, lang)}",
                      fingerprint=data.fingerprint(), lang=lang,
                      demo_mark=demo_mark(conn, lang, None, period))
    result = write_pdf(Path(path), story, frame, tr("report.title", lang))
    steps.step()
    return result
