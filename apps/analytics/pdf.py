"""A dashboard as PDF, drawn on the server (xhtml2pdf cannot run Chart.js): reportlab platypus with
the KPI cards as a table and each chart drawn with reportlab.graphics (bars, horizontal bars, pie),
followed by its data table."""
from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from xml.sax.saxutils import escape

PALETTE = ["#1f6feb", "#2da44e", "#d29922", "#cf222e", "#8250df", "#0a7ea4", "#bf3989", "#6e7781", "#953800", "#116329"]
WIDTH = A4[0] - 3 * cm


def number(value, unit: str = "") -> str:
    if isinstance(value, Decimal) or isinstance(value, (int, float)):
        text = f"{Decimal(value):,.2f}" if unit != "count" else f"{int(value):,}"
        text = text.replace(",", "X").replace(".", ",").replace("X", ".")
        return text + {"eur": " €", "pct": " %"}.get(unit, "")
    return str(value)


def _legend(drawing, names, x, y):
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontSize = 7
    legend.alignment = "right"
    legend.columnMaximum = 8
    legend.colorNamePairs = [(colors.HexColor(PALETTE[i % len(PALETTE)]), name[:40]) for i, name in enumerate(names)]
    drawing.add(legend)


def chart_drawing(chart_type: str, data) -> Drawing:
    labels = [str(label)[:18] for label in data.labels]
    values = [[float(v) for v in s.values] for s in data.series] or [[0.0]]
    drawing = Drawing(WIDTH, 6 * cm)
    if chart_type == "doughnut":
        pie = Pie()
        pie.x, pie.y, pie.width, pie.height = 20, 10, 5 * cm, 5 * cm
        pie.data = values[0] if any(values[0]) else [1]
        pie.labels = None
        for i in range(len(pie.data)):
            pie.slices[i].fillColor = colors.HexColor(PALETTE[i % len(PALETTE)])
        drawing.add(pie)
        _legend(drawing, [f"{label}: {number(v)}" for label, v in zip(labels, values[0])], 7 * cm, 5.5 * cm)
        return drawing
    chart = HorizontalBarChart() if chart_type == "hbar" else VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 60, 30, WIDTH - 200, 4.8 * cm
    chart.data = values
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.labels.fontSize = 6
    chart.valueAxis.labels.fontSize = 6
    chart.valueAxis.forceZero = True
    if chart_type != "hbar":
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
    if chart_type == "stacked":
        chart.categoryAxis.style = "stacked"
    for i in range(len(values)):
        chart.bars[i].fillColor = colors.HexColor(PALETTE[i % len(PALETTE)])
    drawing.add(chart)
    if len(data.series) > 1:
        _legend(drawing, [str(s.label) for s in data.series], WIDTH, 5.5 * cm)
    return drawing


def _table(rows, widths=None) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTSIZE", (0, 0), (-1, -1), 7), ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f5")), ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#c8d1dc")),
    ]))
    return table


def dashboard_pdf(dashboard: dict, *, brokerage: str = "") -> bytes:
    """`dashboard` as answered by apps.analytics.selectors.dashboard_data."""
    styles = getSampleStyleSheet()
    title = _("Cuadro de mando: %(name)s") % {"name": dashboard["title"]}
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=1.5 * cm, rightMargin=1.5 * cm, topMargin=1.5 * cm,
                            bottomMargin=1.5 * cm, title=title, author="AIT-CORE")
    period, previous = dashboard["period"], dashboard["previous"]
    story = [Paragraph(escape(title), styles["Title"]),
             Paragraph(escape(_("%(brokerage)s · Periodo %(period)s, comparado con %(previous)s · Generado el %(now)s") % {
                 "brokerage": brokerage, "period": period.label, "previous": previous.label,
                 "now": timezone.localtime().strftime("%d/%m/%Y %H:%M")}), styles["Normal"]), Spacer(1, 0.4 * cm)]
    if dashboard["kpis"]:
        rows = [[_("Indicador"), _("Periodo"), _("Periodo anterior"), _("Variación")]]
        for kpi in dashboard["kpis"]:
            unit, value = kpi["metric"].unit, kpi["value"]
            change = "—" if value.change is None else f"{number(value.change)} %"
            rows.append([str(kpi["metric"].title), number(value.value, unit), number(value.previous, unit), change])
        story += [_table(rows, [WIDTH * 0.4] + [WIDTH * 0.2] * 3), Spacer(1, 0.5 * cm)]
    for chart in dashboard["charts"]:
        metric, data = chart["metric"], chart["data"]
        block = [Paragraph(escape(str(metric.title)), styles["Heading3"])]
        if metric.description:
            block.append(Paragraph(escape(str(metric.description)), styles["Italic"]))
        if data.labels:
            block.append(chart_drawing(metric.chart_type, data))
            rows = [[_("Concepto"), *(str(s.label)[:30] for s in data.series)]]
            rows += [[str(row[0]), *(number(v, metric.unit) for v in row[1:])] for row in data.rows()]
            story += [KeepTogether(block), _table(rows), Spacer(1, 0.5 * cm)]
        else:
            block.append(Paragraph(escape(_("Sin datos en el periodo.")), styles["Normal"]))
            story += [KeepTogether(block), Spacer(1, 0.3 * cm)]
    doc.build(story)
    return buffer.getvalue()
