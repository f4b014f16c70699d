"""Words a course is found by that its text may not contain: the partner,
where and when it meets, whether it is free, whom it is for.

People search the way they speak ("corso cucito gratis pioltello", "excel
serale", "lavoro over 50"), so the search index of a course gets these
words in the page's own language (CoursePage.search_keywords).
"""

from django.utils import timezone, translation

from home.choices import Comune
from partners.choices import Audience

from .choices import Format

# Search vocabulary, not interface text: what people type.
WORDS = {
    "it": {
        "free": "gratis gratuito gratuita",
        "evening": "serale sera",
        "morning": "mattina mattutino",
        "afternoon": "pomeriggio pomeridiano",
        "weekend": "sabato weekend",
        Audience.OVER_50: "over 50 over50 ultracinquantenni",
        Audience.NEET: "giovani neet",
        Audience.WOMEN_RETURNING: "donne",
        Audience.FOREIGNERS: "stranieri",
        Audience.UNEMPLOYED: "disoccupati disoccupate",
    },
    "en": {
        "free": "free",
        "evening": "evening evenings",
        "morning": "morning mornings",
        "afternoon": "afternoon afternoons",
        "weekend": "weekend saturday",
        Audience.OVER_50: "over 50 over50 older",
        Audience.NEET: "young neet",
        Audience.WOMEN_RETURNING: "women",
        Audience.FOREIGNERS: "foreigners migrants",
        Audience.UNEMPLOYED: "unemployed jobless",
    },
}
EVENING_HOUR = 17
AFTERNOON_HOUR = 13


def part_of_day(start):
    hour = timezone.localtime(start).hour
    if hour >= EVENING_HOUR:
        return "evening"
    if hour >= AFTERNOON_HOUR:
        return "afternoon"
    return "morning"


def course_keywords(course):
    """The extra words of `course`, in its language, as one string."""
    from .models import Topic

    language = course.locale.language_code
    words = WORDS.get(language, WORDS["it"])
    parts = []
    with translation.override(language):
        topic_keys = [topic.translation_key for topic in course.topics.all()]
        names = {}
        for topic in Topic.objects.filter(translation_key__in=topic_keys):
            if topic.locale_id == course.locale_id or topic.translation_key not in names:
                names[topic.translation_key] = topic.name
        parts.extend(names.values())
        parent = course.get_parent()
        if parent is not None:
            parts.append(parent.title)
        if course.is_free:
            parts.append(words["free"])
        for audience in course.audiences or []:
            parts.append(str(Audience(audience).label) if audience in Audience.values else "")
            parts.append(words.get(audience, ""))
        comuni = dict(Comune.choices)
        seen = set()
        for session in course.get_sessions():
            found = [words[part_of_day(session.start)], str(Format(session.format).label)]
            if timezone.localtime(session.start).weekday() >= 5:
                found.append(words["weekend"])
            if session.venue_id:
                found += [session.venue.name, comuni.get(session.venue.comune, "")]
            for word in found:
                if word not in seen:
                    seen.add(word)
                    parts.append(word)
    return " ".join(part for part in parts if part)
