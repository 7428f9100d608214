"""How long adding a brand to a running gateway takes, end to end.

Run from the repository root:  python -m bench.add_brand
It serves three catalogue partitions over loopback (the partition test fixtures), starts
`brand-matrix serve --config` with two of them, runs `brand-matrix brand add` for the third
and polls with `X-Brand` until the new brand answers; it prints the times and stops all.
"""

from __future__ import annotations

import json
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.gateway.partitions.live_partitions import serve
from tests.gateway.partitions.test_sdl_check import _files


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def query(port: int, brand: str) -> dict:
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": "{ catalogueBrand }"}).encode(),
        headers={"content-type": "application/json", "x-brand": brand},
    )
    try:
        return json.loads(urllib.request.urlopen(req, timeout=5).read())
    except urllib.error.HTTPError as e:
        return json.loads(e.read())


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    with serve() as base:
        supergraph, config = _files(tmp, {"lumen": f"{base}/lumen", "aurora": f"{base}/aurora"})
        port = free_port()
        proc = subprocess.Popen(
            [
                "brand-matrix",
                "serve",
                "--supergraph",
                supergraph,
                "--config",
                config,
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
                    break
                except Exception:
                    time.sleep(0.1)
            print("before:", query(port, "nova"))
            t0 = time.perf_counter()
            subprocess.run(
                [
                    "brand-matrix",
                    "brand",
                    "add",
                    "nova",
                    "--name",
                    "Nova",
                    "--url",
                    f"catalogue={base}/nova",
                    "--config",
                    config,
                ],
                check=True,
            )
            t_edit = time.perf_counter()
            deadline = time.perf_counter() + 30
            while True:
                r = query(port, "nova")
                if r.get("data") and r["data"].get("catalogueBrand"):
                    break
                if time.perf_counter() > deadline:
                    raise SystemExit(f"the new brand did not answer within 30 s: {r}")
                time.sleep(0.02)
            t1 = time.perf_counter()
            print("after:", r)
            print(
                f"brand add command: {1000 * (t_edit - t0):.0f} ms; config written -> first "
                f"answer for the new brand: {1000 * (t1 - t_edit):.0f} ms; "
                f"total {1000 * (t1 - t0):.0f} ms"
            )
        finally:
            proc.terminate()
            proc.wait(10)
            print(proc.stderr.read()[-500:])


if __name__ == "__main__":
    main()
