"""HTML in, PDF bytes out: the one place that calls WeasyPrint. Pure apart from reading the font files the
HTML names; it touches no model, no storage and no translation state."""

import logging
from dataclasses import dataclass

from weasyprint import HTML

from .documents import BASE_URL


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int
    # WeasyPrint's warnings during this render (a missing glyph, an unloadable font, bad CSS).
    warnings: tuple[str, ...]


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render_pdf(html: str, *, base_url: str = BASE_URL) -> RenderedPdf:
    """Lay out `html` and return the PDF. The title and language of the PDF come from <title> and
    <html lang>; relative URLs resolve against `base_url` (the project's font directory by default)."""
    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        document = HTML(string=html, base_url=base_url).render()
        content = document.write_pdf()
    finally:
        logger.removeHandler(collector)
    return RenderedPdf(content=content, page_count=len(document.pages), warnings=tuple(collector.messages))
