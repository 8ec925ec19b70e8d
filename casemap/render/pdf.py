"""The consultation summary as PDF, printed by weasyprint from the same HTML as the HTML export.

One source for both means the two can never drift apart (what one audience may read is
decided before either is written), and the PDF inherits the HTML's escaping and its print
stylesheet: a header on every page naming the audience and the confidentiality marking.
"""

from __future__ import annotations

import logging

from .summary import Summary, write_html

# weasyprint logs every CSS property it does not support at WARNING: noise for our users.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def write_pdf(summary: Summary) -> bytes:
    """The PDF bytes of a summary, from its HTML (print media: page header, no contents list)."""
    from weasyprint import HTML

    html = write_html(summary)
    # No base_url: the document is self-contained, so nothing is fetched from disk or network.
    return HTML(string=html, base_url=None).write_pdf()
