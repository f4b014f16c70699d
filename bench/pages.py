"""The pages the benchmarks measure: one live page of each page type in each
language, search, the sitemap and the first calendar feeds pages advertise.

Run as a script (Django settings from the environment) it prints the paths.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def page_paths():
    """(label, path) pairs. Call after django.setup()."""
    from bs4 import BeautifulSoup

    from django.test import Client

    from wagtail.models import Page

    seen, paths = set(), []
    for page in Page.objects.live().public().filter(depth__gte=2).order_by("path"):
        key = (page.content_type_id, page.locale_id)
        if key not in seen:
            seen.add(key)
            label = f"{page.specific_class.__name__} ({page.locale.language_code})"
            paths.append((label, page.url))
    paths += [("search (it)", "/it/search/?query=corso"), ("sitemap", "/sitemap.xml")]
    client, feeds = Client(SERVER_NAME="127.0.0.1"), []
    for _label, path in list(paths):
        response = client.get(path)
        if "html" not in response.get("Content-Type", ""):
            continue
        for link in BeautifulSoup(response.content, "html.parser").select(
            'link[rel="alternate"][type="text/calendar"]'
        ):
            if link["href"] not in feeds:
                feeds.append(link["href"])
    paths += [(f"feed {href}", href) for href in feeds[:3]]
    return paths


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy_site.settings.dev")
    import django

    django.setup()
    for _label, path in page_paths():
        sys.stdout.write(path + "\n")
