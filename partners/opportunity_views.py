"""The opportunity page and its contact form (a plain POST to the page
itself; no JavaScript)."""

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import enquiries


def _render(request, page, form=None, status=200):
    context = page.get_context(request)
    if page.uses_contact_form and context["is_open"]:
        context["enquiry_form"] = form if form is not None else enquiries.EnquiryForm()
    return TemplateResponse(request, page.get_template(request), context, status=status)


def opportunity_page_view(request, page):
    if request.method in ("GET", "HEAD"):
        return _render(request, page)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if not page.uses_contact_form:
        return HttpResponseNotAllowed(["GET", "HEAD"])
    form = enquiries.EnquiryForm(request.POST)
    if not page.is_open():
        form.is_valid()
        form.add_error(
            None,
            _("Applications closed on %(date)s: your message was not sent.")
            % {"date": formats.date_format(page.deadline, "DATETIME_FORMAT")},
        )
        # The visitor's text stays in the form; the page says it is closed.
        response = TemplateResponse(
            request,
            page.get_template(request),
            {**page.get_context(request), "enquiry_form": form},
            status=400,
        )
        return response
    if form.is_bot:
        # Answer a bot as if all went well, and keep nothing.
        messages.success(request, _("Thank you: your message has been sent to the partner."))
        return redirect(page.get_url(request))
    if not form.is_valid():
        return _render(request, page, form, status=400)
    if not enquiries.allow(request, form.cleaned_data["email"]):
        form.add_error(
            None, _("Too many messages in a short time. Please wait a while and try again.")
        )
        return _render(request, page, form, status=429)
    enquiries.submit_enquiry(page, form.cleaned_data, get_language() or "it", request)
    messages.success(request, _("Thank you: your message has been sent to the partner."))
    return redirect(page.get_url(request))
