from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    """For load balancers and uptime checks: answers without touching the
    database, so it also serves as the ceiling in the load benchmark."""
    return HttpResponse("ok", content_type="text/plain")
