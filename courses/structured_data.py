"""schema.org data of a course page (JSON-LD): a `Course` with its
`CourseInstance`s (one per session) and its provider `Organization`."""

import json

from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from .choices import Format, SessionStatus

COURSE_MODE = {
    Format.IN_PERSON: "Onsite",
    Format.ONLINE: "Online",
    Format.BLENDED: "Blended",
}
EVENT_STATUS = {
    SessionStatus.SCHEDULED: "https://schema.org/EventScheduled",
    SessionStatus.FULL: "https://schema.org/EventScheduled",
    SessionStatus.CANCELLED: "https://schema.org/EventCancelled",
}
ATTENDANCE_MODE = {
    Format.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Format.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Format.BLENDED: "https://schema.org/MixedEventAttendanceMode",
}


def _place(venue):
    place = {
        "@type": "Place",
        "name": venue.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": venue.address,
            "addressLocality": venue.get_comune_display(),
            "addressRegion": "MI",
            "addressCountry": "IT",
        },
    }
    if venue.has_coordinates:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(venue.latitude),
            "longitude": float(venue.longitude),
        }
    return place


def session_instance(session, url):
    locations = []
    if session.venue_id:
        locations.append(_place(session.venue))
    if session.format in (Format.ONLINE, Format.BLENDED):
        locations.append({"@type": "VirtualLocation", "url": url})
    data = {
        "@type": "CourseInstance",
        "courseMode": COURSE_MODE[session.format],
        "startDate": localtime(session.start).isoformat(),
        "endDate": localtime(session.end).isoformat(),
        "eventStatus": EVENT_STATUS[session.status],
        "eventAttendanceMode": ATTENDANCE_MODE[session.format],
        "maximumAttendeeCapacity": session.capacity,
        "identifier": str(session.uid),
    }
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    return data


def course_json_ld(course, sessions, partner, request, topics=()):
    url = course.get_full_url(request)
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": course.title,
        "description": course.intro,
        "url": url,
        "inLanguage": course.languages or ["it"],
        "isAccessibleForFree": course.is_free,
        "educationalLevel": course.get_level_display(),
        "hasCourseInstance": [session_instance(s, url) for s in sessions],
    }
    if partner is not None:
        organization = {"@type": "Organization", "name": partner.title}
        partner_url = partner.get_full_url(request)
        if partner_url:
            organization["url"] = partner_url
        data["provider"] = organization
    if topics:
        data["about"] = [topic.name for topic in topics]
    if course.audiences:
        data["audience"] = {
            "@type": "Audience",
            "audienceType": ", ".join(str(label) for label in course.audiences_labels),
        }
    if not course.is_free and course.price is not None:
        data["offers"] = {
            "@type": "Offer",
            "price": str(course.price),
            "priceCurrency": "EUR",
            "category": "Paid",
        }
    elif course.is_free:
        data["offers"] = {"@type": "Offer", "price": "0", "priceCurrency": "EUR"}
    if course.hours:
        data["timeRequired"] = f"PT{int(course.hours)}H"
    if course.certificate != "none":
        data["educationalCredentialAwarded"] = course.get_certificate_display()
    return data


def as_script(data):
    """The data as the body of a <script type="application/ld+json">: JSON
    with the characters that could close the script escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=None, default=str)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, code)
    return mark_safe(text)  # noqa: S308 - escaped above for a script element
