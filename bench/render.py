"""In-process render benchmark: median render time and query count per page.

python bench/render.py --scale 1 [--repeat 15]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def prepare(scale):
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        folder = ROOT / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / f"scale-{scale}.sqlite3"
        url = f"sqlite:///{db}"
        fresh = not db.exists()
    else:
        fresh = True
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "academy_site.settings.dev"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    # Always: a demo kept from an earlier run gets the migrations added since.
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True)  # noqa: S603
    if fresh:
        started = time.perf_counter()
        subprocess.run(  # noqa: S603
            [*manage, "load_demo_data", "--scale", str(scale), "--no-users"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"demo data at scale {scale}: {time.perf_counter() - started:.1f} s")
    return url


def measure(url, repeat, bump=None):
    """Median and fastest render time (ms), queries and status of `url`:
    rendered again in the same generations (the per-generation fragments
    warm, as for every request but the first after a change), or the first
    render after `bump` moved a generation: `bump_content_generation` (an
    ordinary change: every per-content-generation cache cold) or
    `bump_structure_generation` (a structural change: the header and
    footer, sites, locales, home pages and view restrictions cold too), or
    emptied the cache (`empty_every_cache`: a new Redis after a deploy, the
    image renditions and every other long-lived entry gone too)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(url)  # warm up
    timings, queries, status = [], 0, 0
    for _ in range(repeat):
        if bump:
            bump()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        queries, status = len(captured), response.status_code
    return statistics.median(timings), min(timings), queries, status


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    url = prepare(args.scale)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "academy_site.settings.dev"
    os.environ["DJANGO_DEBUG"] = "false"
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache

    settings.ALLOWED_HOSTS = ["*"]
    print(f"scale {args.scale}, {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print("again: rendered again in the same generations; after a change: the first render")
    print("after the content generation moved (every per-content-generation cache cold);")
    print("structural: the first after the structure generation moved (header, footer,")
    print("sites, locales, home pages and view restrictions cold too); empty: the first")
    print("with every cache emptied (a new Redis: renditions and long-lived entries too);")
    print("sign-up: the first after the seats generation moved, which is all that a sign-up,")
    print("a cancellation or a seat given changes (courses/seat_marks.py);")
    print("its course: the first after a change to the course measured (its page, dates,")
    print("seats): the courses' generation and its version moved (home/cache.py); for the")
    print("other pages the same change (the first live course); other course: the first")
    print("after a change to another course (the last live course); gift: the first after")
    print("a gift confirmed (the fund's generation moved)")
    print(
        f"{'page':<44} {'status':>6} {'median ms':>10} {'min ms':>7} {'queries':>8}"
        f" {'sign-up: ms':>12} {'queries':>8}"
        f" {'its course: ms':>15} {'queries':>8} {'other course: ms':>17} {'queries':>8}"
        f" {'gift: ms':>9} {'queries':>8}"
        f" {'after a change: ms':>19} {'queries':>8} {'structural: ms':>15} {'queries':>8}"
        f" {'empty: ms':>10} {'queries':>8}"
    )
    from pages import page_paths

    from django.core.cache import caches

    from courses.models import CoursePage
    from courses.models.pages import course_translation_ids
    from home.cache import (
        bump_content_generation,
        bump_domain_now_and_on_commit,
        bump_seats_generation,
        bump_structure_generation,
    )

    def course_changed(page_id):
        ids = list(course_translation_ids(page_id))
        return lambda: bump_domain_now_and_on_commit("courses", ids)

    courses = list(CoursePage.objects.live().order_by("path").values_list("pk", "url_path"))
    first, last = course_changed(courses[0][0]), course_changed(courses[-1][0])
    by_path = {url_path: pk for pk, url_path in courses}

    def empty_every_cache():
        for each in caches.all(initialized_only=False):
            each.clear()

    # /healthz (a bare Django view through the same middleware) first: on a
    # busy machine read the pages' times against it.
    for label, page_url in [("bare view /healthz", "/healthz"), *page_paths()]:
        cache.clear()
        median, fastest, queries, status = measure(page_url, args.repeat)
        signed, _fastest, signed_queries, _status = measure(
            page_url, args.repeat, bump_seats_generation
        )
        own = next((pk for path, pk in by_path.items() if path.endswith(page_url[3:])), None)
        its, _fastest, its_queries, _status = measure(
            page_url, args.repeat, first if own is None else course_changed(own)
        )
        other, _fastest, other_queries, _status = measure(page_url, args.repeat, last)
        gift, _fastest, gift_queries, _status = measure(
            page_url, args.repeat, lambda: bump_domain_now_and_on_commit("fund")
        )
        changed, _fastest, changed_queries, _status = measure(
            page_url, args.repeat, bump_content_generation
        )
        moved, _fastest, moved_queries, _status = measure(
            page_url, args.repeat, bump_structure_generation
        )
        emptied, _fastest, emptied_queries, _status = measure(
            page_url, args.repeat, empty_every_cache
        )
        print(
            f"{label[:44]:<44} {status:>6} {median:>10.1f} {fastest:>7.1f} {queries:>8}"
            f" {signed:>12.1f} {signed_queries:>8}"
            f" {its:>15.1f} {its_queries:>8} {other:>17.1f} {other_queries:>8}"
            f" {gift:>9.1f} {gift_queries:>8}"
            f" {changed:>19.1f} {changed_queries:>8} {moved:>15.1f} {moved_queries:>8}"
            f" {emptied:>10.1f} {emptied_queries:>8}"
        )


if __name__ == "__main__":
    main()
