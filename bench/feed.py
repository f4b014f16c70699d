"""Calendar feed benchmark: build large feeds and print time, size, queries.

python bench/feed.py [--courses 300] [--sessions 10]

Works in a throwaway SQLite database in a temporary folder (nothing else is
touched); builds the whole-Academy feed (Italian and English), a topic feed
and a comune feed, each twice from scratch (cache generation bumped) and once
from the cache, through the real view (RequestFactory)."""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=300)
    parser.add_argument("--sessions", type=int, default=10, help="sessions per course")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="feed-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "academy_site.settings.test"
    import django

    django.setup()
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
        f"{'feed':<14} {'events':>7} {'size':>10} {'build s':>8} {'queries':>8} "
        f"{'cached s':>9} {'unchanged':>9}"
    )
    for name, language, view, kwargs in cases:
        with translation.override(language):
            timings = []
            for _round in range(2):
                feeds.bump_generation()
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = view(factory.get(f"/{language}/feeds/x.ics"), **kwargs)
                    timings.append(time.perf_counter() - started)
            started = time.perf_counter()
            view(factory.get(f"/{language}/feeds/x.ics"), **kwargs)
            cached = time.perf_counter() - started
            # A calendar app asking again with what it got: 304, no body.
            again = view(
                factory.get(
                    f"/{language}/feeds/x.ics",
                    HTTP_IF_NONE_MATCH=response["ETag"],
                    HTTP_IF_MODIFIED_SINCE=response["Last-Modified"],
                ),
                **kwargs,
            )
        body = response.content
        print(
            f"{name:<14} {body.count(b'BEGIN:VEVENT'):>7} {len(body):>10,} "
            f"{min(timings):>8.2f} {len(queries):>8} {cached:>9.4f} {again.status_code:>9}"
        )
    shutil.rmtree(folder)


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
