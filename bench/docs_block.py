"""One dated block per benchmark in docs/performance.md, between its start and end markers."""

from __future__ import annotations

import re
from pathlib import Path


def replace_block(docs: Path, start: str, end: str, block: str) -> None:
    """Put ``block`` (its markers included) where the old one was, or at the end of the page."""
    text = docs.read_text(encoding="utf-8")
    if start in text:
        pattern = re.escape(start) + ".*?" + re.escape(end)
        text = re.sub(pattern, lambda _: block, text, flags=re.S)
    else:
        text += "\n" + block + "\n"
    docs.write_text(text, encoding="utf-8")
