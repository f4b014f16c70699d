from django.db import transaction
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from wagtail import views as wagtail_views

READ_ONLY_METHODS = ("GET", "HEAD")


@transaction.non_atomic_requests
@require_GET
def healthz(request):
    """For load balancers and uptime checks: answers without touching the
    database (not even to open a transaction: ATOMIC_REQUESTS would), so it
    also serves as the ceiling in the load benchmark."""
    return HttpResponse("ok", content_type="text/plain")


@transaction.non_atomic_requests
def serve(request, path):
    """Wagtail's page view (``wagtail.views.serve``), in a transaction, as
    ATOMIC_REQUESTS puts every other view, when it may write (a form sent to
    a page), and not for GET and HEAD, which only read: there the
    transaction cost PostgreSQL two round trips a page and, on SQLite, took
    the write lock (`BEGIN IMMEDIATE`), so that page views waited for each
    other."""
    if request.method in READ_ONLY_METHODS:
        return wagtail_views.serve(request, path)
    with transaction.atomic():
        return wagtail_views.serve(request, path)
