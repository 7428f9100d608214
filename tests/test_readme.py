"""The README's tour runs as written: its shell block, against a real `brand-matrix dev`."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def readme_stack(data_dir: Path, brands: Any = None) -> Any:
    """The dev stack with fewer demo members (the tour's member among them): a faster seed."""
    from subgraphs.stack import DEMO_BRANDS, dev_stack

    return dev_stack(data_dir, brands or DEMO_BRANDS, demo_members=120)


def tour_script(port: int) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
    tour = next(block for block in blocks if "gql()" in block)
    return tour.replace("127.0.0.1:4000", f"127.0.0.1:{port}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def test_the_tour_answers_as_the_readme_says(tmp_path: Path) -> None:
    port = _free_port()
    argv = [sys.executable, "-m", "gateway.cli", "dev", "--no-reload", "--port", str(port)]
    argv += ["--stack", "tests.test_readme:readme_stack", "--data-dir", str(tmp_path / "data")]
    argv += ["--log-level", "warning"]
    log = tmp_path / "dev.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            argv, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not _ready(port):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        ran = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", tour_script(port)],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert ran.returncode == 0, ran.stderr
        answer = json.loads(ran.stdout)
        assert "errors" not in answer, answer
        me = answer["data"]["me"]
        assert me["displayName"] == "Hu Fang" and me["tier"] == "SILVER"
        brands = {line["brand"] for order in me["orders"] for line in order["lines"]}
        assert "aurora" in brands and len(brands) > 1  # orders from more than one brand
        assert answer["data"]["banners"] and answer["data"]["products"]
        assert all(p["id"].startswith("aurora:") for p in answer["data"]["products"])
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
