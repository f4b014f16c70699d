"""Public views of the challenge calls: the call, the application form, the
confirmation, and the applicant's signed link to view or withdraw."""

from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import applications
from .challenge_forms import ApplicationForm
from .choices import CallState

TEMPLATE_DIR = "partners/challenges"


def _render(page, request, template, status=200, **context):
    response = page.render(
        request, template=f"{TEMPLATE_DIR}/{template}", context_overrides=context
    )
    response.status_code = status
    return response


def challenge_page(page, request):
    return _render(
        page,
        request,
        "challenge_page.html",
        state=page.source().call_state(),
        courses=page.preparation_courses(),
        questions=list(page.questions.all()),
    )


def _form(page, request=None):
    return ApplicationForm(
        request.POST if request else None,
        request.FILES if request else None,
        challenge=page,
        questions=page.questions.all(),
    )


def _closed(page, request, state):
    """The answer to an application sent when the call is not open: it is
    refused, but what the applicant wrote is given back to copy (someone
    who wrote until the last minute loses nothing they typed)."""
    form = _form(page)
    names = [*form.question_fields, "idea"]
    written = [
        (form.fields[name].label, request.POST.get(name, "").strip())
        for name in names
        if request.POST.get(name, "").strip()
    ]
    return _render(page, request, "apply.html", status=410, state=state, form=None, written=written)


def apply(page, request):
    state = page.source().call_state()
    if request.method not in ("GET", "POST"):
        return _render(page, request, "apply.html", status=405, state=state, form=None)
    if state != CallState.OPEN:
        # A closed (or not yet open) call says so and accepts nothing.
        if request.method == "GET":
            return _render(page, request, "apply.html", state=state, form=None)
        return _closed(page, request, state)
    if request.method == "GET":
        return _render(page, request, "apply.html", state=state, form=_form(page))
    form = _form(page, request)
    if form.is_bot:
        form.add_error(None, _("Your application could not be sent. Please try again."))
        return _render(page, request, "apply.html", status=400, state=state, form=form)
    if not form.is_valid():
        return _render(page, request, "apply.html", status=400, state=state, form=form)
    if not applications.allow_submission(request, form.cleaned_data["email"]):
        form.add_error(
            None, _("Too many attempts in a short time. Please wait a few minutes and try again.")
        )
        return _render(page, request, "apply.html", status=429, state=state, form=form)
    try:
        applications.submit_application(
            page,
            form.cleaned_data,
            form.answers(),
            form.uploads(),
            language=get_language() or page.locale.language_code,
        )
    except applications.ApplicationClosed:
        # The deadline passed while the applicant was writing.
        return _closed(page, request, CallState.CLOSED)
    response = redirect(page.url + page.reverse_subpage("sent_view"))
    response.status_code = 303
    return response


def sent(page, request):
    return _render(page, request, "sent.html")


@require_http_methods(["GET", "POST"])
def application_view(request, token):
    """The applicant's own view of the application, from the receipt's
    signed link: until the deadline, to read it again or withdraw it."""
    application = applications.application_for_token(token)
    if application is None:
        raise Http404
    challenge = applications.challenge_in(application)
    context = {
        "application": application,
        "challenge": challenge,
        "withdrawn_now": False,
        # No application is changed once sent: to correct one, the applicant
        # withdraws it and sends a new one while the call is open.
        "apply_url": applications.new_application_url(challenge, application),
    }
    if application.withdrawn:
        return TemplateResponse(request, f"{TEMPLATE_DIR}/application.html", context)
    if not applications.can_still_change(application):
        context["expired"] = True
        return TemplateResponse(request, f"{TEMPLATE_DIR}/application.html", context, status=410)
    if request.method == "POST":
        if request.POST.get("confirm") != "withdraw":
            context["confirm_error"] = True
            return TemplateResponse(
                request, f"{TEMPLATE_DIR}/application.html", context, status=400
            )
        try:
            applications.withdraw(application, timezone.now())
        except applications.ApplicationClosed:
            # Another request withdrew it a moment ago (and told the
            # applicant), or the deadline has just passed.
            application.refresh_from_db()
            if application.withdrawn:
                return TemplateResponse(request, f"{TEMPLATE_DIR}/application.html", context)
            context["expired"] = True
            return TemplateResponse(
                request, f"{TEMPLATE_DIR}/application.html", context, status=410
            )
        context["withdrawn_now"] = True
        return TemplateResponse(request, f"{TEMPLATE_DIR}/application.html", context)
    return TemplateResponse(request, f"{TEMPLATE_DIR}/application.html", context)


def application_moved(request, token):
    """The applicant's page at the path Italian receipts used to link to
    (partners/challenge_urls.py): moved for good to its path in the active
    language, with the same token. A withdrawal sent from a page opened
    before the move is sent on as it is (308), not turned into a reading."""
    keep_method = request.method not in ("GET", "HEAD")
    return redirect(
        "challenge_application", token=token, permanent=True, preserve_request=keep_method
    )
