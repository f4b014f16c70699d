"""Demand the Academy does not meet yet: searches that found nothing and
citizens' requests for courses ("ask for a course"), with their retention.

No personal data in the search log: only the normalised words, refused when
they look like an e-mail address or a phone number. A course request may
carry an e-mail address (optional, with consent): only staff see it, and it
is erased after COURSE_REQUEST_RETENTION_MONTHS.
"""

import datetime
import re
from collections import Counter

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from home.choices import Comune

from .models import CourseRequest, MissedQuery
from .text import WORD, fold, stem

LOG_MAX_LENGTH = 100
# Anything with an @ or five digits in a row may be someone's address or phone.
PERSONAL = re.compile(r"@|\d{5,}|\d[\d\s./-]{6,}\d")


def normalise_for_log(query):
    """The words of `query`, lower case, single spaces; "" when the query
    should not be kept (empty, or looks like contact details)."""
    if not query or PERSONAL.search(query):
        return ""
    words = WORD.findall(query.lower())
    return " ".join(words)[:LOG_MAX_LENGTH].strip()


def log_missed_query(query, language, now=None):
    """Count one search that found nothing. Writes with update() and
    bulk_create(), which leave the page cache alone (search/models.py)."""
    text = normalise_for_log(query)
    if not text:
        return False
    now = now or timezone.now()
    entries = MissedQuery.objects.filter(query=text, language=language)
    if entries.update(count=F("count") + 1, last_seen=now):
        return True
    try:
        with transaction.atomic():
            MissedQuery.objects.bulk_create(
                [MissedQuery(query=text, language=language, first_seen=now, last_seen=now)]
            )
    except IntegrityError:  # someone else logged it first
        entries.update(count=F("count") + 1, last_seen=now)
    return True


def guess_topic(wish, language):
    """The topic whose name shares a word beginning with the wish, or None."""
    from courses.models import Topic

    stems = {stem(word) for word in WORD.findall(wish) if len(word) > 3}
    if not stems:
        return None
    best, best_score = None, 0
    for topic in Topic.objects.filter(locale__language_code=language):
        words = [fold(word) for word in WORD.findall(topic.name) if len(word) > 3]
        score = sum(1 for s in stems if any(word.startswith(s) for word in words))
        if score > best_score:
            best, best_score = topic, score
    return best


def create_request(*, wish, comune, topic, email, consent, language, source, now=None):
    """Store a course request; e-mail only with consent. Returns it."""
    now = now or timezone.now()
    if topic is None:
        topic = guess_topic(wish, language)
    request = CourseRequest(
        wish=" ".join(wish.split()),
        comune=comune,
        topic=topic,
        email=email if email and consent else "",
        consent_at=now if email and consent else None,
        language=language,
        source=source,
        created_at=now,
    )
    # bulk_create: no post_save, so the page cache is not emptied.
    CourseRequest.objects.bulk_create([request])
    return request


def masked(text):
    """`text` without what looks like an e-mail address or phone number,
    for partners, who must not see contact details."""
    text = re.sub(r"\S+@\S+", "…", text)
    return re.sub(r"\+?\d[\d\s./-]{6,}\d", "…", text)


def aggregated_requests(since=None):
    """Counts of requests by topic and comune, and the wishes per topic.

    Returns {"rows": [{"topic": name, "by_comune": {comune: n}, "total": n,
    "wishes": [(text, n)]}], "comuni": [(value, label)], "totals": {comune: n}}.
    """
    requests = CourseRequest.objects.all()
    if since:
        requests = requests.filter(created_at__gte=since)
    comuni = list(Comune.choices)
    counts = requests.values("topic__name", "comune").annotate(n=Count("pk"))
    rows = {}
    totals = Counter()
    for entry in counts:
        name = entry["topic__name"] or ""
        row = rows.setdefault(name, {"topic": name, "by_comune": Counter(), "total": 0})
        row["by_comune"][entry["comune"]] += entry["n"]
        row["total"] += entry["n"]
        totals[entry["comune"]] += entry["n"]
    wishes = {}
    for name, wish in requests.values_list("topic__name", "wish").order_by("-created_at")[:500]:
        wishes.setdefault(name or "", Counter())[masked(" ".join(wish.lower().split()))] += 1
    result = []
    for name, row in sorted(rows.items(), key=lambda item: (-item[1]["total"], item[0])):
        row["cells"] = [row["by_comune"].get(value, 0) for value, _label in comuni]
        row["wishes"] = wishes.get(name, Counter()).most_common(5)
        result.append(row)
    return {
        "rows": result,
        "comuni": comuni,
        "totals": [totals.get(value, 0) for value, _label in comuni],
        "total": sum(totals.values()),
    }


def retention_months():
    return getattr(settings, "COURSE_REQUEST_RETENTION_MONTHS", 12)


def purge_personal_data(now=None):
    """Erase the e-mail of requests older than the retention period; the
    wish, topic, comune and date stay for the statistics. Also forgets
    searches without results not seen for two retention periods."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=round(retention_months() * 30.44))
    erased = (
        CourseRequest.objects.filter(created_at__lt=cutoff, anonymised_at__isnull=True)
        .exclude(email="")
        .update(email="", consent_at=None, anonymised_at=now)
    )
    old = now - datetime.timedelta(days=round(2 * retention_months() * 30.44))
    MissedQuery.objects.filter(last_seen__lt=old).delete()
    return erased
