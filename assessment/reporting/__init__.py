"""The maturity report: built once from the scoring engine, rendered as HTML, SVG and PDF.

`build` computes a `Report` (plain Python, no Flask); `charts` draws it as SVG and ReportLab
graphics; `pdf` lays it out with ReportLab platypus; `labels` holds the fixed strings in both
languages. The HTML partial `templates/reports/_report_body.html` renders the same `Report`.
"""
