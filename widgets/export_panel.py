"""Step 9: the summary for a chosen audience and format: preview, download, and a kept copy.

The download is a ``data:`` link built in memory: the file never sits in a folder the server
shows. A copy goes to the exports folder (``casemap.store.write_export``), outside anything
Voila serves.
"""

from __future__ import annotations

import base64
import html
import logging
from typing import Any

import ipywidgets as ipw

from .fields import describe
from .session import Session

log = logging.getLogger(__name__)

MIME = {
    "html": "text/html",
    "md": "text/markdown",
    "markdown": "text/markdown",
    "txt": "text/plain",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}

AUDIENCE_HELP = {  # a short reading of casemap.render.audience, which decides
    "consultation": "Everything, for the consultant, worker and supervisor; survivor-confidential "
    "records in a separate, marked appendix.",
    "case-record": "The agency's case file: no survivor-confidential record; worker safety "
    "included.",
    "perpetrator": "His plan, what is expected of him, his behaviours as a parent and their "
    "impact on the children. Nothing of her efforts or plan, of who told what, or of where "
    "anyone is.",
    "survivor": "Her plan and the support around it, his pattern and its impact on the children. "
    "No survivor-confidential record, no worker safety.",
    "training": "De-identified: labels instead of names, shifted dates, no survivor-confidential "
    "record.",
}


def download_link(data: bytes, filename: str, fmt: str) -> str:
    """An ``<a download>`` with the file inside a data: URL."""
    mime = MIME.get(fmt, "application/octet-stream")
    payload = base64.b64encode(data).decode("ascii")
    return (
        f"<a class='cm-download' download='{html.escape(filename)}' "
        f"href='data:{mime};base64,{payload}'>Download {html.escape(filename)}</a>"
    )


class ExportPanel(ipw.VBox):
    """Audience, format, preview and download of the case summary."""

    def __init__(self, session: Session, *, guard=lambda f: f):
        from casemap.render.audience import AUDIENCE_LABELS, AUDIENCES
        from casemap.render.summary import FORMATS

        self.session = session
        self.audience = ipw.Dropdown(
            options=[(AUDIENCE_LABELS.get(a, a), a) for a in AUDIENCES], value=AUDIENCES[0]
        )
        self.audience.add_class("cm-audience")
        self.audience_help = ipw.HTML()
        self.audience_help.add_class("cm-help")
        self.format = ipw.Dropdown(  # ids as labels: html, md, docx, pdf are what people know
            options=list(FORMATS), value="html" if "html" in FORMATS else FORMATS[0]
        )
        self.format.add_class("cm-format")
        self.prepare_button = ipw.Button(
            description="Prepare summary",
            button_style="primary",
            icon="file-text",
            layout=ipw.Layout(width="auto"),
        )
        self.prepare_button.add_class("cm-prepare")
        self.link = ipw.HTML()
        self.link.add_class("cm-download-box")
        self.saved = ipw.HTML()
        self.saved.add_class("cm-export-saved")
        self.preview = ipw.HTML()
        self.preview.add_class("cm-preview")
        self.last: tuple[str, bytes] | None = None
        super().__init__(
            [
                ipw.HBox(
                    [
                        ipw.VBox([describe("Who it is for"), self.audience]),
                        ipw.VBox([describe("Format"), self.format]),
                        ipw.VBox([describe(" "), self.prepare_button]),
                    ],
                    layout=ipw.Layout(gap="16px"),
                ),
                self.audience_help,
                self.link,
                self.saved,
                self.preview,
            ]
        )
        self.add_class("cm-export")
        self.audience.observe(guard(self._changed), names="value")
        self.format.observe(guard(self._changed), names="value")
        self.prepare_button.on_click(guard(lambda _: self.prepare()))
        session.observe(guard(self._changed), names="case")
        self._show_help()

    def _show_help(self) -> None:
        self.audience_help.value = html.escape(AUDIENCE_HELP.get(self.audience.value, ""))

    def _changed(self, change: Any = None) -> None:
        # An earlier download no longer matches the choice or the case: take it away.
        self._show_help()
        self.link.value = ""
        self.saved.value = ""
        self.preview.value = ""

    def prepare(self) -> tuple[str, bytes]:
        """Render the summary, offer it for download and keep a copy in the exports folder."""
        from casemap import store
        from casemap.render.summary import default_filename, render_summary

        case, audience, fmt = self.session.case, self.audience.value, self.format.value
        data = render_summary(case, audience, fmt)
        name = default_filename(case, audience, fmt)
        path = store.write_export(name, data)
        log.info("exported %s (%s, %s, %d bytes)", path.name, audience, fmt, len(data))
        self.last = (name, data)
        self.link.value = download_link(data, name, fmt)
        self.saved.value = (
            f"<span class='cm-help'>A copy is kept in the exports folder as "
            f"<code>{html.escape(path.name)}</code>.</span>"
        )
        if fmt == "html":
            # A sandboxed frame keeps the summary's own styles away from the workbook's.
            self.preview.value = (
                f"<iframe class='cm-preview-frame' sandbox='' title='Summary preview' "
                f"srcdoc='{html.escape(data.decode('utf-8'), quote=True)}' "
                "style='width:100%;height:520px;border:1px solid #d0d7de;border-radius:6px;"
                "background:#fff'></iframe>"
            )
        elif fmt in ("md", "markdown", "txt"):
            self.preview.value = (
                f"<pre class='cm-preview-text'>{html.escape(data.decode('utf-8'))}</pre>"
            )
        else:
            self.preview.value = (
                f"<p class='cm-help'>{len(data) // 1024 + 1} KB ready to download.</p>"
            )
        return name, data
