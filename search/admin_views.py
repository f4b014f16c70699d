"""Demand in the admin, beside the observatories' labour needs: course
requests aggregated by topic and comune (staff and partners; e-mail
addresses for staff only) and the searches that found nothing (staff)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from home.choices import Comune
from partners.models import LabourNeed
from partners.moderation import is_academy_staff
from partners.onboarding import partners_of

from . import demand
from .models import CourseRequest, MissedQuery

PERIODS = {"90": 90, "365": 365, "all": None}


def is_partner(user):
    return user.is_authenticated and user.is_active and partners_of(user).exists()


def can_see_requests(user):
    return user.is_authenticated and user.is_active and (is_academy_staff(user) or is_partner(user))


def can_see_missed_queries(user):
    return user.is_authenticated and user.is_active and is_academy_staff(user)


def _since(request):
    period = request.GET.get("period", "365")
    if period not in PERIODS:
        period = "365"
    days = PERIODS[period]
    return period, (timezone.now() - datetime.timedelta(days=days)) if days else None


def course_requests(request):
    if not can_see_requests(request.user):
        raise PermissionDenied
    period, since = _since(request)
    staff = is_academy_staff(request.user)
    needs = (
        LabourNeed.objects.filter(locale__language_code="it")
        .values("comune")
        .annotate(n=Count("pk"))
    )
    needs_by_comune = {entry["comune"]: entry["n"] for entry in needs}
    context = {
        "page_title": _("Course requests"),
        "aggregated": demand.aggregated_requests(since),
        "needs": [needs_by_comune.get(value, 0) for value, _label in Comune.choices],
        "period": period,
        "staff": staff,
    }
    if staff:
        requests = CourseRequest.objects.select_related("topic")
        if since:
            requests = requests.filter(created_at__gte=since)
        context["requests"] = Paginator(requests, 50).get_page(request.GET.get("p"))
    return render(request, "search/admin/course_requests.html", context)


def missed_queries(request):
    if not can_see_missed_queries(request.user):
        raise PermissionDenied
    period, since = _since(request)
    queries = MissedQuery.objects.order_by("-count", "-last_seen")
    if since:
        queries = queries.filter(last_seen__gte=since)
    language = request.GET.get("language", "")
    if language in ("it", "en"):
        queries = queries.filter(language=language)
    context = {
        "page_title": _("Searches without results"),
        "queries": Paginator(queries, 100).get_page(request.GET.get("p")),
        "period": period,
        "language": language,
    }
    return render(request, "search/admin/missed_queries.html", context)
