"""Calendar feed benchmark: build large feeds and print time, size, queries.

python bench/feed.py [--courses 300] [--sessions 10]

Works in a throwaway SQLite database in a temporary folder and the Redis
database BENCH_REDIS_URL (default redis://127.0.0.1:6379/9, flushed), the
cache production uses; builds the whole-Academy feed (Italian and English),
a topic feed and a comune feed through the real view (RequestFactory):

- "cold": nothing cached at all (the first build after the cache is
  emptied, e.g. a Redis restart, or after a deploy that changed
  courses/ical.py): median of --cold rounds (3), the cache emptied
  before each;
- "rebuilt": a new cache generation, as after any sign-up or publish, with
  the serialised events in the cache (what almost every build is): median
  of three;
- "cached" (median of five): the feed body from the cache, for a client without gzip (the
  cached body decompressed); "cached gz": for a client sending
  Accept-Encoding: gzip, as calendar apps do (the cached bytes as they
  are), "gzip size" their size; "unchanged": the status of a conditional
  GET with the ETag and Last-Modified just given (304), without and with
  gzip."""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=300)
    parser.add_argument("--sessions", type=int, default=10, help="sessions per course")
    parser.add_argument("--cold", type=int, default=3, help="cold builds per feed (median)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="feed-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "academy_site.settings.test"
    import django
    from django.conf import settings

    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url}
    }
    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone, translation

    call_command("migrate", verbosity=0, interactive=False)
    from tests.conftest import build_site

    build_site()
    from home.models import HomePage

    with translation.override("it"):
        populate(HomePage.objects.get(locale__language_code="it"), args)

    from courses import feed_views, feeds

    factory = RequestFactory()
    cases = [
        ("academy (it)", "it", feed_views.academy, {}),
        ("academy (en)", "en", feed_views.academy, {}),
        ("topic", "it", feed_views.topic, {"slug": "bench-topic-0"}),
        ("comune", "it", feed_views.comune, {"comune": "pioltello"}),
    ]
    print(f"{args.courses} courses x {args.sessions} sessions, {timezone.now():%Y-%m-%d}")
    print(
        f"{'feed':<14} {'events':>7} {'size':>10} {'cold ms':>8} {'rebuilt ms':>10} "
        f"{'queries':>8} {'cached ms':>9} {'gzip size':>10} {'cached gz ms':>12} "
        f"{'unchanged':>9}"
    )
    for name, language, view, kwargs in cases:
        with translation.override(language):
            view(factory.get(f"/{language}/feeds/x.ics"), **kwargs)  # site root paths
            colds = []
            for _round in range(args.cold):
                cache.clear()
                started = time.perf_counter()
                view(factory.get(f"/{language}/feeds/x.ics"), **kwargs)
                colds.append(time.perf_counter() - started)
            cold = statistics.median(colds)
            timings = []
            for _round in range(3):
                feeds.bump_generation()
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = view(factory.get(f"/{language}/feeds/x.ics"), **kwargs)
                    timings.append(time.perf_counter() - started)
            path = f"/{language}/feeds/x.ics"
            cached, _plain = timed(factory, path, {}, view, kwargs)
            cached_gzip, packed = timed(factory, path, GZIP, view, kwargs)
            # A calendar app asking again with what it got: 304, no body.
            again = view(
                factory.get(
                    f"/{language}/feeds/x.ics",
                    HTTP_IF_NONE_MATCH=response["ETag"],
                    HTTP_IF_MODIFIED_SINCE=response["Last-Modified"],
                ),
                **kwargs,
            )
            again_gzip = view(
                factory.get(f"/{language}/feeds/x.ics", HTTP_IF_NONE_MATCH=packed["ETag"], **GZIP),
                **kwargs,
            )
        body = response.content
        print(
            f"{name:<14} {body.count(b'BEGIN:VEVENT'):>7} {len(body):>10,} {cold * 1000:>8.0f} "
            f"{statistics.median(timings) * 1000:>10.0f} {len(queries):>8} "
            f"{cached * 1000:>9.1f} {len(packed.content):>10,} {cached_gzip * 1000:>12.1f} "
            f"{again.status_code:>5} {again_gzip.status_code}"
        )
    cache.clear()
    shutil.rmtree(folder)


def timed(factory, path, headers, view, kwargs, rounds=5):
    """(median seconds, last response) of `rounds` GETs of `path` (a new
    request each) answered by `view`."""
    timings = []
    for _round in range(rounds):
        started = time.perf_counter()
        response = view(factory.get(path, **headers), **kwargs)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), response


def populate(home, args):
    import datetime

    from django.utils import timezone

    from courses.models import CoursePage, CourseSession, Topic, Venue
    from home.choices import Comune
    from partners.models import PartnerIndexPage, PartnerPage

    directory = home.add_child(instance=PartnerIndexPage(title="Rete", slug="rete"))
    topics = [Topic.objects.create(name=f"Tema {i}", slug=f"bench-topic-{i}") for i in range(5)]
    comuni = [c for c, _label in Comune.choices]
    venues = [
        Venue.objects.create(
            name=f"Sala {i}",
            address="Via Roma 1",
            comune=comuni[i % len(comuni)],
            latitude="45.5",
            longitude="9.3",
        )
        for i in range(8)
    ]
    partners = [
        directory.add_child(
            instance=PartnerPage(
                title=f"Partner {i}",
                slug=f"partner-{i}",
                partner_type="third_sector",
                short_description="Bench",
                comuni=["pioltello"],
            )
        )
        for i in range(10)
    ]
    now = timezone.now().replace(second=0, microsecond=0)
    rows = []
    for i in range(args.courses):
        course = partners[i % len(partners)].add_child(
            instance=CoursePage(
                title=f"Corso {i}",
                slug=f"corso-{i}",
                intro="Un corso.",
                audiences=["unemployed"],
                languages=["it"],
            )
        )
        course.topics.set([topics[i % len(topics)]])
        course.save()
        for j in range(args.sessions):
            start = now + datetime.timedelta(days=j * 7 - 60, hours=i % 10)
            rows.append(
                CourseSession(
                    page=course,
                    start=start,
                    end=start + datetime.timedelta(hours=2),
                    venue=venues[(i + j) % len(venues)],
                    capacity=12,
                    sort_order=j,
                )
            )
    CourseSession.objects.bulk_create(rows)


if __name__ == "__main__":
    main()
