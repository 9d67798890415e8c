"""The report as a Word file the ministry (or a region) edits before sending it on: per section
(Heading 1) and action (Heading 2) the status, the measures taken, the ministry's remarks and what
is overdue; then women's representation with the change since the previous period and the
indicators with their trend. Nationally (center mode) every action shows how many regions
completed it, have it in progress or not started and each region's measures; for one region, its
own return. Figures come from the queries the PDF summaries use (db.national, db.queries) and
db.national_actions. No Qt, no reportlab."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from db import national, queries, rules
from db.errors import PlanMonitorError
from db.national_actions import actions_across_regions
from db.periods import previous_period
from db.review import get_review
from exports.docx_layout import (
    RED,
    bullet,
    fill_contents,
    fmt_change,
    fmt_date,
    fmt_number,
    fmt_percent,
    heading,
    labelled,
    new_document,
    none_text,
    page_footer,
    para,
    period_label,
    table,
    table_of_contents,
)
from resources.files import atomic_write
from resources.words import tr

MAX_NOTE_CHARS = 400
TREND_ARROWS = {"up": "↑", "down": "↓", "flat": "→", "": "—"}
STATUS_KEYS = ("completed", "in_progress", "not_started", "not_applicable", rules.NO_ANSWER_KEY)


def trimmed(text: str, lang: str) -> str:
    text = " ".join(text.split())
    if len(text) <= MAX_NOTE_CHARS:
        return text
    return text[:MAX_NOTE_CHARS].rsplit(" ", 1)[0] + "… " + tr("report.actions.trimmed", lang)


def _title(doc, kind_key: str, place: str, period: str, as_of: str | None, today: date,
           lang: str):
    """The title block; returns where the contents go (filled once the headings are in)."""
    para(doc, tr("report.title", lang), size=9)
    doc.add_heading(tr(kind_key, lang), level=0)
    para(doc, place, bold=True, size=13)
    para(doc, tr("report.header.period", lang, period=period_label(period, lang)))
    para(doc, tr("report.header.as_of", lang, date=fmt_date(as_of, lang)) if as_of
         else tr("report.header.no_data", lang))
    para(doc, tr("report.header.printed", lang, date=fmt_date(today, lang)))
    return table_of_contents(doc, tr("docx.toc", lang))


def _save(doc, path: Path) -> Path:
    """Written next to the target and renamed over it, so a failed write (the file open in Word,
    a full disk) leaves any earlier report whole."""
    path = Path(path)
    try:
        with atomic_write(path, make_folder=True) as partial:
            doc.save(str(partial))
    except OSError as exc:
        raise PlanMonitorError("report.error.cannot_write", file=str(path),
                               reason=exc.strerror or str(exc)) from exc
    return path


def _signature(doc, prepared_by: str, lang: str) -> None:
    para(doc)
    labelled(doc, tr("report.sign.prepared_by", lang), prepared_by or "_" * 30)
    labelled(doc, tr("report.sign.signature", lang), "_" * 30)


# --- National -------------------------------------------------------------------------------------

def build_national_docx(conn: sqlite3.Connection, period: str, lang: str, path: Path, *,
                        today: date | None = None, prepared_by: str = "") -> Path:
    today = today or date.today()
    doc = new_document(lang, tr("report.kind.national", lang))
    matrix = national.progress_matrix(conn, period, lang)
    contents = _title(doc, "report.kind.national", tr("report.national_name", lang), period,
           national.national_data_as_of(conn, period), today, lang)
    actions = actions_across_regions(conn, period, lang, today)
    _national_figures(doc, conn, matrix, actions, period, lang)
    for section in queries.sections(conn, lang):
        heading(doc, tr("report.section_label", lang, code=section.code, name=section.name), 1)
        for action in (a for a in actions if a.section_no == section.no):
            _national_action(doc, action, lang)
    _national_gender(doc, conn, period, lang)
    _national_indicators(doc, conn, period, lang)
    _unreported(doc, conn, period, lang)
    _signature(doc, prepared_by, lang)
    page_footer(doc, lang, f"{tr('report.kind.national', lang)} · {period_label(period, lang)}")
    fill_contents(doc, contents)
    return _save(doc, path)


def _national_figures(doc, conn, matrix, actions, period: str, lang: str) -> None:
    heading(doc, tr("report.figures.title", lang), 1)
    reported = sum(r.reported for r in matrix)
    overall = national.combined_progress(matrix)
    women = national.national_gender_totals(national.national_gender(conn, period, lang))
    rows = [[tr("report.figures.regions_reported", lang),
             tr("report.figures.of_total", lang, count=reported, total=len(matrix))]]
    rows += [[tr(f"status.{s}", lang), fmt_number(overall.counts[s], lang)] for s in STATUS_KEYS]
    rows += [[tr("report.figures.overdue", lang),
              fmt_number(sum(len(a.overdue_in) for a in actions), lang)],
             [tr("report.figures.progress", lang), fmt_percent(overall.percent, lang)],
             [tr("report.figures.women_share", lang), fmt_percent(women.share, lang)]]
    table(doc, [tr("docx.col.item", lang), tr("docx.col.value", lang)], rows, (120, 50),
          right=(1,))
    para(doc, tr("docx.figures.pairs_note", lang), size=8.5)


def _national_action(doc, action, lang: str) -> None:
    heading(doc, f"{action.no}. {action.name}", 2)
    counts = action.progress.counts
    para(doc, tr("docx.action.status", lang, regions=action.progress.total,
                 **{s: counts[s] for s in STATUS_KEYS}))
    if action.overdue_in:
        labelled(doc, tr("docx.action.overdue_in", lang, date=fmt_date(action.due_date, lang)),
                 ", ".join(e.region.name for e in action.overdue_in), color=RED)
    measures = [e for e in action.entries if e.note.strip()]
    para(doc, tr("docx.action.measures", lang), bold=True)
    if not measures:
        para(doc, tr("docx.action.no_measures", lang))
    for entry in measures:
        bullet(doc, f"{entry.region.name} ({rules.status_label(entry.status, lang).lower()})",
               trimmed(entry.note, lang))
    remarks = [e for e in action.entries if e.remark.strip()]
    if remarks:
        para(doc, tr("docx.action.remarks", lang), bold=True)
        for entry in remarks:
            bullet(doc, entry.region.name, trimmed(entry.remark, lang))


def _national_gender(doc, conn, period: str, lang: str) -> None:
    heading(doc, tr("report.national.gender_title", lang), 1)
    target = fmt_number(rules.GENDER_TARGET_PERCENT, lang)
    para(doc, tr("report.gender.target_note", lang, target=target,
                 period=period_label(previous_period(period), lang)), size=8.5)
    shares = national.national_gender(conn, period, lang)
    rows = [_gender_row(str(n), s.name, s.women, s.total, s.share, s.prev_share, lang)
            + [fmt_number(s.regions, lang)] for n, s in enumerate(shares, 1)]
    total = national.national_gender_totals(shares)
    rows.append(_gender_row("", tr("report.gender.total_row", lang), total.women, total.total,
                            total.share, total.prev_share, lang) + [""])
    table(doc, [tr("report.col.no", lang), tr("report.col.body", lang), tr("field.women", lang),
                tr("field.total", lang), tr("field.share", lang),
                tr("docx.col.share_previous", lang), tr("report.col.change", lang),
                tr("report.col.regions", lang)],
          rows, (8, 52, 18, 18, 18, 20, 20, 16), right=(2, 3, 4, 5, 6, 7), bold_last=True)


def _gender_row(no: str, name: str, women: int | None, total: int | None, share: float | None,
                before: float | None, lang: str) -> list[str]:
    return [no, name, fmt_number(women, lang), fmt_number(total, lang), fmt_percent(share, lang),
            fmt_percent(before, lang), fmt_change(share, before, lang)]


def _trend(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return ""
    return "up" if now > before else "down" if now < before else "flat"


def _national_indicators(doc, conn, period: str, lang: str) -> None:
    heading(doc, tr("report.national.indicators_title", lang), 1)
    before = previous_period(period)
    para(doc, tr("docx.indicators.note", lang, period=period_label(before, lang)), size=8.5)
    earlier = {(i.code, i.disaggregation_code): i.median
               for i in national.indicator_values_by_region(conn, before, lang)}
    rows = []
    for item in national.indicator_values_by_region(conn, period, lang):
        prev = earlier.get((item.code, item.disaggregation_code))
        if item.median is None and prev is None:
            continue  # none due in either period (an annual indicator in a quarter)
        rows.append([item.code, item.name, tr(f"unit.{item.unit}", lang),
                     fmt_number(item.reported, lang), fmt_number(prev, lang),
                     fmt_number(item.median, lang), TREND_ARROWS[_trend(item.median, prev)],
                     fmt_number(item.target_value, lang)])
    table(doc, [tr("report.col.code", lang), tr("report.col.indicator", lang),
                tr("report.col.unit", lang), tr("report.col.regions", lang),
                tr("docx.col.median_previous", lang), tr("docx.col.median", lang),
                tr("report.col.trend", lang), tr("report.col.target", lang)],
          rows, (15, 53, 16, 15, 20, 17, 17, 17), right=(3, 4, 5, 7))


def _unreported(doc, conn, period: str, lang: str) -> None:
    heading(doc, tr("report.national.missing_title", lang), 1)
    missing = national.unreported_regions(conn, period, lang)
    if not missing:
        para(doc, tr("report.national.missing_none", lang))
    for item in missing:
        last = (tr("report.national.last_reported", lang,
                   period=period_label(item.last_period, lang)) if item.last_period
                else tr("report.national.never_reported", lang))
        bullet(doc, item.region.name, last)


# --- One region --------------------------------------------------------------------------------------

def build_region_docx(conn: sqlite3.Connection, region: str, period: str, lang: str, path: Path,
                      *, today: date | None = None, prepared_by: str = "") -> Path:
    today = today or date.today()
    if not conn.execute("SELECT 1 FROM region WHERE code = ?", (region,)).fetchone():
        raise PlanMonitorError("error.unknown_region", region=region)
    doc = new_document(lang, tr("report.kind.region", lang))
    name = queries.region_name(conn, region, lang)
    contents = _title(doc, "report.kind.region", name, period, queries.data_as_of(conn, region, period),
           today, lang)
    parts = queries.section_progress(conn, region, period, lang)
    actions = queries.action_rows(conn, region, period, lang, today)
    review = get_review(conn, region, period)
    _region_figures(doc, parts, actions, lang)
    if review.remark.strip():
        labelled(doc, tr("docx.region.remark", lang), review.remark)
    for part in parts:
        heading(doc, tr("report.section_label", lang, code=part.section.code,
                        name=part.section.name), 1)
        for action in (a for a in actions if a.section_no == part.section.no):
            _region_action(doc, action, review.remarks.get(("action", str(action.no)), ""), lang)
    _region_gender(doc, conn, region, period, lang)
    _region_indicators(doc, conn, region, period, lang)
    _signature(doc, prepared_by, lang)
    page_footer(doc, lang, f"{name} · {period_label(period, lang)}")
    fill_contents(doc, contents)
    return _save(doc, path)


def _region_figures(doc, parts, actions, lang: str) -> None:
    heading(doc, tr("report.figures.title", lang), 1)
    overall = queries.overall_progress(parts)
    rows = [[tr("report.figures.actions", lang), fmt_number(overall.total, lang)]]
    rows += [[tr(f"status.{s}", lang), fmt_number(overall.counts[s], lang)] for s in STATUS_KEYS]
    rows += [[tr("report.figures.overdue", lang), fmt_number(sum(a.overdue for a in actions),
                                                              lang)],
             [tr("report.figures.progress", lang), fmt_percent(overall.percent, lang)]]
    table(doc, [tr("docx.col.item", lang), tr("docx.col.value", lang)], rows, (120, 50),
          right=(1,))


def _region_action(doc, action, remark: str, lang: str) -> None:
    heading(doc, f"{action.no}. {action.name}", 2)
    status = rules.status_label(action.status, lang)
    if action.overdue:
        status += f" ({tr('report.actions.overdue_mark', lang)})"
    labelled(doc, tr("field.status", lang), status, color=RED if action.overdue else None)
    deadline = action.deadline + (f" ({fmt_date(action.due_date, lang)})" if action.due_date
                                  else "")
    labelled(doc, tr("report.col.deadline", lang), deadline or none_text(lang))
    labelled(doc, tr("field.progress_note", lang),
             trimmed(action.progress_note, lang) or none_text(lang))
    if action.evidence.strip():
        labelled(doc, tr("field.evidence", lang), trimmed(action.evidence, lang))
    if remark.strip():
        labelled(doc, tr("docx.action.remarks", lang), remark, color=RED)


def _region_gender(doc, conn, region: str, period: str, lang: str) -> None:
    heading(doc, tr("report.gender.title", lang), 1)
    para(doc, tr("report.gender.target_note", lang,
                 target=fmt_number(rules.GENDER_TARGET_PERCENT, lang),
                 period=period_label(previous_period(period), lang)), size=8.5)
    rows = queries.gender_rows(conn, region, period, lang)
    incomplete = queries.incomplete_bodies(rows)
    if incomplete:
        para(doc, tr("gender_incomplete.note", lang, count=incomplete), size=8.5)
    body = [_gender_row(str(n), g.name, g.women, g.total, g.share, g.prev_share, lang)
            for n, g in enumerate(rows, 1)]
    for line, g in zip(body, rows, strict=True):
        if g.incomplete:  # one figure without the other: said so, never a share of 0 %
            line[4] = tr("gender_incomplete.cell", lang)
    women, total = queries.gender_totals(rows)
    body.append(_gender_row("", tr("report.gender.total_row", lang), women, total,
                            rules.share_percent(women, total), None, lang))
    table(doc, [tr("report.col.no", lang), tr("report.col.body", lang), tr("field.women", lang),
                tr("field.total", lang), tr("field.share", lang),
                tr("docx.col.share_previous", lang), tr("report.col.change", lang)],
          body, (8, 70, 18, 18, 18, 20, 18), right=(2, 3, 4, 5, 6), bold_last=True)


def _region_indicators(doc, conn, region: str, period: str, lang: str) -> None:
    heading(doc, tr("report.indicators.title", lang), 1)
    para(doc, tr("report.indicators.legend", lang), size=8.5)
    rows = [[i.code, f"{i.name} ({i.disaggregation})", tr(f"unit.{i.unit}", lang),
             fmt_number(i.baseline_value, lang), fmt_number(i.target_value, lang),
             fmt_number(i.prev_value, lang), fmt_number(i.value, lang), TREND_ARROWS[i.trend]]
            for i in queries.indicator_rows(conn, region, period, lang)]
    table(doc, [tr(f"report.col.{k}", lang) for k in
                ("code", "indicator", "unit", "baseline", "target", "previous", "latest",
                 "trend")], rows, (16, 64, 18, 16, 16, 16, 16, 10), right=(3, 4, 5, 6))
