"""The catalogue as open data: CSV (one row per session) and JSON (one
object per course with its sessions), with the catalogue's own filters."""

import csv
import json

from django.http import HttpResponse, JsonResponse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from wagtail.models import Locale

from .catalogue import attach_cards, card_queryset, default_locale_id, filtered_courses

MAX_EXPORT = 5000
CSV_COLUMNS = [
    "course_id",
    "course",
    "url",
    "language",
    "italian_only",
    "partner",
    "area",
    "topics",
    "audiences",
    "taught_in",
    "free",
    "price_eur",
    "hours",
    "certificate",
    "session_uid",
    "start",
    "end",
    "format",
    "venue",
    "address",
    "comune",
    "capacity",
    "status",
]


def course_record(course, request):
    card = course.card
    return {
        "id": course.pk,
        "title": course.title,
        "url": course.get_full_url(request),
        "language": course.locale.language_code,
        "italian_only": card.italian_only,
        "summary": course.intro,
        "partner": card.partner.title if card.partner else None,
        "partner_url": card.partner.get_full_url(request) if card.partner else None,
        "area": course.area,
        "topics": [topic.slug for topic in card.topics],
        "audiences": course.audiences,
        "taught_in": course.languages,
        "level": course.level,
        "free": course.is_free,
        "price_eur": str(course.price) if course.price is not None else None,
        "hours": str(course.hours) if course.hours is not None else None,
        "certificate": course.certificate,
        "signup_mode": course.signup_mode,
        "sessions": [session_record(session) for session in card.sessions],
    }


def session_record(session):
    venue = session.venue
    return {
        "uid": str(session.uid),
        "start": localtime(session.start).isoformat(),
        "end": localtime(session.end).isoformat(),
        "format": session.format,
        "venue": venue.name if venue else None,
        "address": venue.address if venue else None,
        "comune": venue.comune if venue else None,
        "latitude": float(venue.latitude) if venue and venue.latitude is not None else None,
        "longitude": float(venue.longitude) if venue and venue.longitude is not None else None,
        "capacity": session.capacity,
        "status": session.status,
    }


def export_response(request, file_format):
    locale = Locale.get_active()
    default_id = default_locale_id()
    form, _data, courses, topics_by_key = filtered_courses(request, locale, default_id)
    if form.errors:
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        if file_format == "json":
            return JsonResponse({"errors": errors}, status=400)
        lines = [f"{name}: {' '.join(messages)}" for name, messages in errors.items()]
        return HttpResponse(
            _("Invalid filters") + "\n" + "\n".join(lines),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    courses = list(card_queryset(courses.select_related("locale"))[:MAX_EXPORT])
    attach_cards(courses, locale, default_id, topics_by_key)
    records = [course_record(course, request) for course in courses]
    filename = f"corsi-{locale.language_code}"
    if file_format == "json":
        response = HttpResponse(
            json.dumps({"count": len(records), "courses": records}, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        for record in records:
            base = [
                record["id"],
                record["title"],
                record["url"],
                record["language"],
                "yes" if record["italian_only"] else "no",
                record["partner"] or "",
                record["area"],
                " ".join(record["topics"]),
                " ".join(record["audiences"]),
                " ".join(record["taught_in"]),
                "yes" if record["free"] else "no",
                record["price_eur"] or "",
                record["hours"] or "",
                record["certificate"],
            ]
            for session in record["sessions"] or [None]:
                if session is None:
                    writer.writerow(base + [""] * 9)
                    continue
                writer.writerow(
                    base
                    + [
                        session["uid"],
                        session["start"],
                        session["end"],
                        session["format"],
                        session["venue"] or "",
                        session["address"] or "",
                        session["comune"] or "",
                        session["capacity"],
                        session["status"],
                    ]
                )
    response["Content-Disposition"] = f'inline; filename="{filename}.{file_format}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
