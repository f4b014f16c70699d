"""API v2 serializer fields of course pages (see courses/api.py)."""

from rest_framework import serializers

from django.utils.timezone import localtime


class SessionsField(serializers.Field):
    """The sessions of a course, read from its Italian page."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, course):
        return [
            {
                "uid": str(session.uid),
                "start": localtime(session.start).isoformat(),
                "end": localtime(session.end).isoformat(),
                "format": session.format,
                "status": session.status,
                "capacity": session.capacity,
                "signup_deadline": (
                    localtime(session.signup_deadline).isoformat()
                    if session.signup_deadline
                    else None
                ),
                "venue": (
                    {
                        "name": session.venue.name,
                        "address": session.venue.address,
                        "comune": session.venue.comune,
                        "latitude": _number(session.venue.latitude),
                        "longitude": _number(session.venue.longitude),
                    }
                    if session.venue
                    else None
                ),
                "online_notes": session.online_notes,
                "note": session.note,
            }
            for session in course.get_sessions()
        ]


class ChoiceListSerializerField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return list(value)


class SlugsField(serializers.Field):
    """Topic slugs (the same in every language)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, manager):
        return [topic.slug for topic in manager.all()]


class PartnerField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, course):
        partner = course.get_parent()
        return {"id": partner.pk, "title": partner.title, "html_url": partner.full_url}


def _number(value):
    return float(value) if value is not None else None
