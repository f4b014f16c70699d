"""Load benchmark: gunicorn (2 sync workers, production settings, PostgreSQL,
Redis cache) driven by wrk on 127.0.0.1. Prints req/s and latency per page,
with /healthz (a bare Django view) as the ceiling.

    python bench/load.py [--scale 1] [--duration 20]
    python bench/load.py --site feeds [--duration 20]

`--site feeds` measures the calendar feeds of the bench/feed.py site (300
courses x 10 sessions, bench/feed_site.py, a few minutes to build) instead
of the demo's pages. Feeds are measured twice: as they are asked without
Accept-Encoding, and with `Accept-Encoding: gzip`, as calendar apps ask
("+gzip"). The demo's build time is printed first (scale 20: minutes).

Needs PostgreSQL (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/accademia_bench — dropped and rebuilt),
Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/7 — flushed) and wrk
(apt-get install wrk). BENCH_PORT (default 8765) is where gunicorn listens.
The last column is each page's req/s as a share of the bare view's in the
same run, the figure that holds on a busy machine.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8765"))
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
SECRET = "bench-only-" + "x" * 50
GZIP = {"Accept-Encoding": "gzip"}


def run(command, env, **kwargs):
    return subprocess.run(command, env=env, check=True, cwd=ROOT, **kwargs)  # noqa: S603


def script_output(python, *command, env):
    """The words a bench script prints (the addresses to measure)."""
    return subprocess.run(  # noqa: S603
        [python, *command], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument(
        "--site",
        choices=["demo", "feeds"],
        default="demo",
        help="the demo at --scale (default), or the large feed site of bench/feed.py",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    database = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/accademia_bench"
    )
    name = database.rsplit("/", 1)[-1]
    admin_url = database.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin_url, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)  # noqa: S603, S607
    subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {name}"], check=True)  # noqa: S603, S607
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "academy_site.settings.production",
        "DATABASE_URL": database,
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{PORT}",
        "CACHE_URL": "rediscache://" + REDIS.split("://", 1)[1],
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        "MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
    }
    python = sys.executable
    run([python, "manage.py", "migrate", "--no-input", "-v0"], env)
    run([python, "manage.py", "collectstatic", "--no-input", "-v0"], env)
    if args.site == "feeds":
        urls = script_output(python, "bench/feed_site.py", "--port", str(PORT), env=env)
    else:
        started = time.perf_counter()
        run(
            [python, "manage.py", "load_demo_data", "--scale", str(args.scale), "--no-users"],
            env,
            stdout=subprocess.DEVNULL,
        )
        print(f"demo data at scale {args.scale}: {time.perf_counter() - started:.1f} s")
        urls = script_output(python, "bench/pages.py", env=env)
    # What building the site queued (search and reference index updates),
    # run by the task worker as in production (TASKS_BACKEND=database).
    started = time.perf_counter()
    run([python, "manage.py", "db_worker", "--batch", "--no-startup-delay", "-v0"], env)
    print(f"queued tasks run by db_worker: {time.perf_counter() - started:.1f} s", flush=True)
    subprocess.run(["redis-cli", "-u", REDIS, "flushdb"], check=False, stdout=subprocess.DEVNULL)  # noqa: S603, S607
    urls = [url.removeprefix("http://127.0.0.1").removeprefix("http://localhost") for url in urls]
    cases = [("/healthz", {})]
    for url in urls:
        cases.append((url, {}))
        if "/feeds/" in url:
            cases.append((url, GZIP))
    # The bare view again last: how far the machine's load drifted meanwhile.
    cases.append(("/healthz", {}))
    gunicorn = subprocess.Popen(  # noqa: S603
        [
            str(Path(python).parent / "gunicorn"),
            "academy_site.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        site = f"scale {args.scale}" if args.site == "demo" else "bench/feed.py site"
        print(f"{site}, gunicorn 2 workers, wrk -t2 -c8 -d{args.duration}s")
        print(
            f"{'path':<46} {'kB':>6} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
            f"{'vs bare':>8}"
        )
        ceiling = None
        for path, headers in cases:
            for _ in range(3):  # warm both workers and the cache
                request = urllib.request.Request(base + path, headers=headers)  # noqa: S310
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    size = len(response.read())
            options = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
            output = subprocess.run(  # noqa: S603
                ["wrk", "-t2", "-c8", f"-d{args.duration}s", "--latency", *options, base + path],  # noqa: S607
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
            p50 = _latency(output, "50%")
            p99 = _latency(output, "99%")
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
            ceiling = ceiling or rps
            label = path[:40] + " +gzip" if headers else path[:46]
            print(
                f"{label:<46} {size / 1000:>6.0f} {rps:>9.0f} {p50:>8.1f} {p99:>8.1f} "
                f"{(errors.group(1) if errors else '0'):>7} {rps / ceiling:>8.0%}"
            )
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=20)


def _latency(output, percentile):
    match = re.search(rf"{re.escape(percentile)}\s+([\d.]+)(us|ms|s)", output)
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


if __name__ == "__main__":
    main()
