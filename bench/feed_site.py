"""The site of bench/feed.py (the shared test site with --courses courses of
--sessions sessions each, under ten partners) in the database of the
environment's settings, for bench/load.py --site feeds; prints the feed
paths to measure: the whole Academy (Italian, English), a partner, a course.

    python bench/feed_site.py [--courses 300] [--sessions 10] [--host 127.0.0.1 --port 8315]
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=300)
    parser.add_argument("--sessions", type=int, default=10, help="sessions per course")
    parser.add_argument("--host", default="127.0.0.1", help="the site's host name (feed links)")
    parser.add_argument("--port", type=int, default=80)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy_site.settings.dev")
    import django

    django.setup()
    from feed import populate

    from django.urls import reverse
    from django.utils import translation

    from wagtail.models import Site

    from courses.models import CoursePage
    from home.models import HomePage
    from partners.models import PartnerPage
    from tests.conftest import build_site

    build_site()
    Site.objects.update(hostname=args.host, port=args.port)
    home = HomePage.objects.get(locale__language_code="it")
    if not CoursePage.objects.exists():
        with translation.override("it"):
            populate(home, args)
    partner = PartnerPage.objects.order_by("pk").first()
    course = CoursePage.objects.order_by("pk").first()
    for language in ("it", "en"):
        with translation.override(language):
            sys.stdout.write(reverse("feeds:academy") + "\n")
    with translation.override("it"):
        sys.stdout.write(reverse("feeds:partner", args=[partner.pk]) + "\n")
        sys.stdout.write(reverse("feeds:course", args=[course.pk]) + "\n")


if __name__ == "__main__":
    main()
