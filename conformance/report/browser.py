"""Headless Chromium for compat.html: the DOM after its script ran, or a screenshot.

Used by the HTML test and to refresh docs/report.png:

    python -m conformance.report.browser reports/compat.html docs/report.png
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars"]


def find_chromium() -> Optional[str]:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(args: list[str], timeout: float) -> str:
    binary = find_chromium()
    if binary is None:
        raise FileNotFoundError("chromium is not installed (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory(prefix="conformance-chromium-") as profile:
        done = subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"chromium exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout


def dump_dom(page: Path, fragment: str = "", timeout: float = 60) -> str:
    """The page's DOM, serialised after its scripts ran (`fragment` goes after #)."""
    url = page.resolve().as_uri() + (f"#{fragment}" if fragment else "")
    return _run(["--virtual-time-budget=3000", "--dump-dom", url], timeout)


def screenshot(page: Path, out: Path, size: tuple[int, int] = (1400, 900), fragment: str = "", timeout: float = 60) -> None:
    url = page.resolve().as_uri() + (f"#{fragment}" if fragment else "")
    _run([f"--screenshot={out.resolve()}", f"--window-size={size[0]},{size[1]}", "--virtual-time-budget=3000", url], timeout)


if __name__ == "__main__":  # pragma: no cover
    screenshot(Path(sys.argv[1]), Path(sys.argv[2]), fragment=sys.argv[3] if len(sys.argv) > 3 else "")
