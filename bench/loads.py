"""Running wrk for `make bench` and reading its report: requests/s, latency percentiles,
errors. GET loads send the session cookie; the posting load runs bench/post_reply.lua."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from processes import COOKIE_NAME, BenchError, pinned

LUA = Path(__file__).resolve().parent / "post_reply.lua"
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _to_ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", value)
    if not match:
        raise BenchError(f"cannot read the latency {value!r} from wrk")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(output: str) -> dict:
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    percentiles = {p: re.search(rf"^\s+{p}%\s+(\S+)", output, re.M) for p in (50, 90, 99)}
    if not rps or not all(percentiles.values()):
        raise BenchError("could not read wrk's output:\n" + output)
    total = re.search(r"^\s+(\d+) requests in", output, re.M)
    bad = re.search(r"^\s+Non-2xx or 3xx responses:\s+(\d+)", output, re.M)
    sockets = re.search(r"^\s+Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                        output, re.M)
    return {"rps": float(rps.group(1)),
            **{f"p{p}": _to_ms(m.group(1)) for p, m in percentiles.items()},
            "requests": int(total.group(1)) if total else 0,
            # Answers other than 2xx/3xx, and connect/read/write errors and timeouts (wrk
            # gives up on a request after 2 s): told apart in the JSON, summed in the table.
            "non2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": sum(int(n) for n in sockets.groups()) if sockets else 0,
            "errors": (int(bad.group(1)) if bad else 0)
            + (sum(int(n) for n in sockets.groups()) if sockets else 0)}


def run_wrk(url: str, *, cookie: str | None, duration: float, connections: int, core,
            post: dict | None = None) -> dict:
    """One wrk run. `post` (csrf, path) makes it the posting load."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s", "--latency"]
    env = dict(os.environ)
    if post is not None:
        command += ["-s", str(LUA)]
        env.update(BENCH_CSRF=post["csrf"], BENCH_REPLY_PATH=post["path"],
                   BENCH_COOKIE=f"{COOKIE_NAME}={cookie}")
    elif cookie:
        command += ["-H", f"Cookie: {COOKIE_NAME}={cookie}"]
    result = subprocess.run(pinned(core, command + [url]), capture_output=True, text=True,
                            timeout=duration + 60, env=env)
    if result.returncode != 0:
        raise BenchError(f"wrk failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return parse_wrk(result.stdout)
