import json
import logging
import uuid

import stripe

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import gateway, progress, stripe_events, throttle
from .choices import DonationStatus, Frequency
from .forms import DonationForm
from .models import Donation, euros_to_cents
from .receipts import page_for

logger = logging.getLogger(__name__)

WALL_SIZE = 30


def _privacy_url(request):
    """The privacy notice the consent refers to, as the footer links it
    (read with the header and footer, which are cached)."""
    from home.templatetags.site_tags import site_chrome

    privacy = site_chrome({"request": request})["privacy"]
    return privacy["url"] if privacy else ""


def _page_context(request, page, form=None):
    configured = gateway.is_configured()
    wall = (
        Donation.objects.filter(fund=page.fund_key)
        .on_wall()
        .order_by("-created_at")
        .values("public_name", "public_message")[:WALL_SIZE]
    )
    return {
        "page": page,
        "self": page,
        "form": form if form is not None else (DonationForm(page=page) if configured else None),
        "giving_online": configured,
        "progress": progress.for_page(page),
        "campaign_open": progress.campaign_open(page),
        "wall": list(wall),
        "privacy_url": _privacy_url(request) if configured else "",
    }


def _render(request, page, form=None, status=200):
    return TemplateResponse(
        request, "donations/donation_page.html", _page_context(request, page, form), status=status
    )


def _gift_fields(data):
    """What the donor chose and wrote, as the Donation stores it."""
    return {
        "frequency": data["frequency"],
        "amount_cents": euros_to_cents(data["amount"]),
        "donor_type": data["donor_type"],
        "first_name": data["first_name"].strip(),
        "last_name": data["last_name"].strip(),
        "organisation_name": data["organisation_name"].strip(),
        "tax_code": data["tax_code"],
        "street": data["street"].strip(),
        "postcode": data["postcode"].strip(),
        "city": data["city"].strip(),
        "province": data["province"],
        "country": data["country"],
        "email": data["email"],
        "public_name": "" if data["anonymous"] else data["public_name"].strip(),
        "public_message": "" if data["anonymous"] else data["public_message"].strip(),
        "show_on_wall": data["show_on_wall"] and not data["anonymous"],
        "anonymous": data["anonymous"],
    }


def _is_same_gift(donation, page, gift):
    return donation.fund == page.fund_key and all(
        getattr(donation, field) == value for field, value in gift.items()
    )


def donation_page_view(request, page):
    if request.method != "POST" or not gateway.is_configured():
        return _render(request, page)
    form = DonationForm(request.POST, page=page)
    if not form.is_valid():
        return _render(request, page, form, status=400)
    data = form.cleaned_data
    gift = _gift_fields(data)
    # The same form sent twice (a double click, a reload) is the same gift.
    attempt = data["attempt"]
    existing = Donation.objects.filter(uuid=attempt).first()
    if existing is not None and not _is_same_gift(existing, page, gift):
        # Back from Stripe's page, the donor changed the form (another
        # amount, monthly, a corrected codice fiscale): that is a new gift,
        # never the old session with the old amount or details.
        attempt, existing = uuid.uuid4(), None
    if existing is not None and existing.stripe_checkout_url:
        return redirect(existing.stripe_checkout_url, permanent=False)
    if existing is not None:
        form.add_error(None, _("This form was already sent. Please reload the page."))
        return _render(request, page, form, status=409)
    if not throttle.allow(request, data["email"]):
        form.add_error(
            None, _("Too many attempts in a short time. Please wait a few minutes and try again.")
        )
        return _render(request, page, form, status=429)
    try:
        with transaction.atomic():
            donation = Donation.objects.create(
                uuid=attempt,
                fund=page.fund_key,
                language=get_language() or page.locale.language_code,
                privacy_consent_at=timezone.now(),
                **gift,
            )
            base = page.get_full_url(request)
            session = gateway.create_checkout_session(
                donation,
                page.title,
                success_url=base + page.return_url("thank_you"),
                cancel_url=base + page.return_url("cancelled"),
            )
            donation.stripe_checkout_session_id = session.id
            donation.stripe_checkout_url = session.url
            donation.save(update_fields=["stripe_checkout_session_id", "stripe_checkout_url"])
    except stripe.StripeError:
        logger.exception("Stripe refused or did not answer the checkout session request")
        form.add_error(
            None,
            _(
                "The payment service cannot be reached right now: nothing was charged. "
                "Please try again in a few minutes, or give by bank transfer."
            ),
        )
        return _render(request, page, form, status=503)
    # 303: the browser goes to Stripe's page with a GET.
    response = HttpResponse(status=303)
    response["Location"] = session.url
    return response


def thank_you_view(request, page):
    """The browser's return from Stripe: thanks, and the gift's state as the
    webhooks left it. Nothing here changes any money state."""
    donation = None
    session_id = request.GET.get("session_id", "")
    if session_id:
        donation = Donation.objects.filter(stripe_checkout_session_id=session_id).first()
    confirmed = donation is not None and donation.status in (
        DonationStatus.PAID,
        DonationStatus.ACTIVE,
    )
    return TemplateResponse(
        request,
        "donations/thank_you.html",
        {
            "page": page,
            "self": page,
            "confirmed": confirmed,
            "monthly": donation is not None and donation.frequency == Frequency.MONTHLY,
            "progress": progress.for_page(page),
        },
    )


def cancelled_view(request, page):
    return TemplateResponse(request, "donations/cancelled.html", {"page": page, "self": page})


@csrf_exempt
@require_POST
@transaction.non_atomic_requests
def stripe_webhook(request):
    """Stripe's webhook: signature checked with the signing secret; every
    event handled once (see `stripe_events.handle_event`)."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        logger.error("A Stripe webhook arrived but STRIPE_WEBHOOK_SECRET is not set")
        return JsonResponse({"error": "not configured"}, status=503)
    try:
        event = stripe.Webhook.construct_event(
            request.body,
            request.headers.get("Stripe-Signature", ""),
            settings.STRIPE_WEBHOOK_SECRET,
        )
    except ValueError:
        logger.warning("Stripe webhook with a body that is not JSON")
        return HttpResponseBadRequest("invalid payload")
    except stripe.SignatureVerificationError:
        logger.warning("Stripe webhook with a bad or old signature")
        return HttpResponseBadRequest("invalid signature")
    if event.api_version and event.api_version != stripe.api_version:
        logger.warning(
            "Stripe event %s uses API version %s, the library expects %s",
            event.id,
            event.api_version,
            stripe.api_version,
        )
    try:
        handled = stripe_events.handle_event(json.loads(request.body))
    except Exception:
        # Nothing was stored: answering 500 makes Stripe send it again.
        logger.exception("Stripe event %s (%s) failed", event.id, event.type)
        return JsonResponse({"error": "failed, please retry"}, status=500)
    return JsonResponse({"received": True, "duplicate": not handled})


@require_http_methods(["GET", "HEAD", "POST"])
@transaction.non_atomic_requests
def manage_monthly_gift(request, reference):
    """The receipt's and renewal e-mail's "manage" link: GET and HEAD show a
    page whose one button (POST) opens Stripe's customer portal, where a
    monthly donor changes the card or stops the gift. Mail scanners open
    every link of a message; opening this one asks nothing of Stripe
    (docs/decisions.md). Nothing is written here, hence no transaction
    held open while Stripe answers."""
    donation = get_object_or_404(Donation, uuid=reference, frequency=Frequency.MONTHLY)
    if not donation.stripe_customer_id or not gateway.is_configured():
        raise Http404
    page = page_for(donation)
    if request.method != "POST":
        return _manage_page(request, donation, page)
    return_url = page.get_full_url(request) if page else request.build_absolute_uri("/")
    try:
        session = gateway.create_portal_session(
            donation.stripe_customer_id, return_url, donation.language
        )
    except stripe.StripeError:
        logger.exception("Stripe customer portal session failed")
        return _manage_page(request, donation, page, unreachable=True, status=503)
    # 303: the browser goes to Stripe's page with a GET.
    response = HttpResponse(status=303)
    response["Location"] = session.url
    return response


def _manage_page(request, donation, page, unreachable=False, status=200):
    """The manage page in the gift's language (that of the e-mails with the
    link), or in the one the visitor chose with the language switcher: the
    address is outside the language prefixes. It names the amount and the
    dates only, nothing else about the donor."""
    languages = dict(settings.LANGUAGES)
    language = request.GET.get("lang", "")
    if language not in languages:
        language = donation.language if donation.language in languages else settings.LANGUAGE_CODE
    first_paid = donation.payments.order_by("paid_at").values_list("paid_at", flat=True).first()
    with translation.override(language):
        response = render(
            request,
            "donations/manage.html",
            {
                "donation": donation,
                "fund": page.localized if page else None,
                "since": first_paid or donation.checkout_completed_at or donation.created_at,
                "unreachable": unreachable,
                # The switcher's links (site_tags.language_links): this
                # address has no language prefix to change.
                "language_urls": {code: f"{request.path}?lang={code}" for code in languages},
            },
            status=status,
        )
    response["Content-Language"] = language
    return response
