"""Screenshots of the bundled audit's HTML report, to look at what a manager sees.

    python scripts/screenshots.py OUT_DIR [--full]

Audits examples/ as the README's main job does, writes ``audit-report.html`` and, for the
widths 1400 px and 375 px, ``WIDTHpx.png`` (the first screen) and with ``--full``
``WIDTHpx-full.png`` (the whole page, every text collapsed as it opens). Uses the system's
chromium and chromedriver (Debian packages ``chromium`` and ``chromium-driver``; or set
CUSTFOCUS_CHROMIUM / CUSTFOCUS_CHROMEDRIVER) through Selenium, with the driver path given so
Selenium Manager never downloads anything. OUT_DIR must be outside the repository.
"""

from __future__ import annotations

import argparse
import base64
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAMES = {"seller": ["Northwind", "Northwind Forecast"], "customer": ["Globex", "Initech"]}
SCREENS = {1400: 900, 375: 812}  # a laptop, a phone


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder for the report and the PNGs")
    parser.add_argument("--full", action="store_true", help="also capture the whole page")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    if out == ROOT or ROOT in out.parents:
        parser.error(f"{out}: write screenshots outside the repository")
    chromium = os.environ.get("CUSTFOCUS_CHROMIUM") or shutil.which("chromium")
    driver_path = os.environ.get("CUSTFOCUS_CHROMEDRIVER") or shutil.which("chromedriver")
    if not chromium or not driver_path:
        print("no browser: install chromium and chromium-driver", file=sys.stderr)
        return 2
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    import custfocus

    out.mkdir(parents=True, exist_ok=True)
    page = out / "audit-report.html"
    os.chdir(ROOT)  # as the README's main job runs: `custfocus audit examples ...`
    custfocus.audit("examples", recursive=False, **NAMES).to_html(page)  # type: ignore[arg-type]
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        for width, height in SCREENS.items():
            driver.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500},
            )
            driver.get(page.as_uri())
            first = out / f"{width}px.png"
            first.write_bytes(_capture(driver, width, height))
            print(first)
            if args.full:
                full_height = driver.execute_script("return document.documentElement.scrollHeight")
                full = out / f"{width}px-full.png"
                full.write_bytes(_capture(driver, width, int(full_height)))
                print(full, f"({full_height} px tall)")
    finally:
        driver.quit()
    return 0


def _capture(driver: object, width: int, height: int) -> bytes:
    shot = driver.execute_cdp_cmd(  # type: ignore[attr-defined]
        "Page.captureScreenshot",
        {"captureBeyondViewport": True,
         "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}},
    )  # fmt: skip
    return base64.b64decode(shot["data"])


if __name__ == "__main__":
    raise SystemExit(main())
