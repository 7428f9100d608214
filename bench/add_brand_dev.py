"""How long adding a brand to a running `brand-matrix dev` takes, end to end.

Run from the repository root:  python -m bench.add_brand_dev
It copies brand-matrix.toml to a temporary directory, starts `brand-matrix dev --config` on it
(first start loads the demo: about 20 s), then runs `brand-matrix brand add vela ...` and polls
with `X-Brand: vela` until the new brand's catalogue answers; it prints the time and stops.
The new brand's partitions are created, migrated, loaded with demo data and started inside the
running process in that time.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.add_brand import free_port, query

ROOT = Path(__file__).resolve().parents[1]


def wait_for(port: int, brand: str, timeout: float) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            if query(port, brand).get("data", {}).get("catalogueBrand") == brand:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"brand {brand!r} did not answer within {timeout:g} s")


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    config = tmp / "brand-matrix.toml"
    shutil.copy(ROOT / "brand-matrix.toml", config)
    port = free_port()
    proc = subprocess.Popen(
        ["brand-matrix", "dev", "--config", str(config), "--data-dir", str(tmp / "data"),
         "--port", str(port), "--log-level", "warning"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        startup = wait_for(port, "lumen", 180)
        print(f"dev ready (first start, demo loaded) in {startup:.1f} s")
        started = time.perf_counter()
        subprocess.run(
            ["brand-matrix", "brand", "add", "vela", "--name", "Vela Beauty", "--config",
             str(config), "--catalogue-url", "http://127.0.0.1:4106/graphql",
             "--content-url", "http://127.0.0.1:4206/graphql"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(port, "vela", 60)
        print(f"brand vela added to the running dev in {time.perf_counter() - started:.2f} s "
              "(brand add command to first answer from its partition)")  # fmt: skip
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
