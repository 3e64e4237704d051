"""A real kepu server with the demo network, for the browser tests (like `make run`)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.settings import USING_POSTGRES

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in str(item.path):
            item.add_marker(pytest.mark.browser)
            if USING_POSTGRES:
                item.add_marker(pytest.mark.skip(reason="browser journeys run once, on SQLite"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Debian's chromium is missing: `apt-get install -y chromium` (make test does it)"
        )
    home = tmp_path_factory.mktemp("kepu-home")
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("KEPU_", "DJANGO_", "DATABASE"))
    }
    env.update({"KEPU_ENV": "development", "KEPU_HOME": str(home), "KEPU_LOG_LEVEL": "WARNING"})
    for args in (["migrate", "--no-input"], ["demo", "--if-empty"]):
        subprocess.run(
            [sys.executable, "-m", "kepu.cli", *args],
            env=env,
            cwd=home,
            check=True,
            capture_output=True,
            timeout=300,
        )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kepu.cli", "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):  # noqa: S310
                break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail("the kepu server did not start")
    yield url
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    yield page
    context.close()
