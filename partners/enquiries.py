"""Enquiries sent through an opportunity's contact form: the form with its
anti-abuse checks (honeypot, minimum time, rate limits per IP address and
per e-mail address on the cache), delivery to the partner's contact address,
storage, and anonymisation after the retention period."""

import logging

from django_tasks import task

from django import forms
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from wagtail.models import Locale

from home import throttle
from home.background import enqueue_on_commit
from home.cache import per_visitor, per_visitor_value
from home.email_address import EmailAddressField
from home.links import public_page_url
from home.models import SiteFooter

from .models import Enquiry

logger = logging.getLogger(__name__)

MIN_SECONDS = 3  # a person needs longer than this to write a message
MAX_AGE_SECONDS = 24 * 60 * 60  # a form left open longer is issued again
RATE_LIMITS = (
    # (what, how many, seconds)
    ("ip", 5, 10 * 60),
    ("email", 3, 60 * 60),
)
RETENTION_MONTHS = 12
_SIGNING_SALT = "partners.enquiries.form"


def issue_token(at=None):
    """The signed time at which a form was shown."""
    moment = at or timezone.now()
    return signing.dumps(int(moment.timestamp()), salt=_SIGNING_SALT)


@per_visitor("enquiry-shown-at")
def _shown_at_for_visitor(request):
    """Each visitor's own start time, also in a page from the whole-page cache."""
    return issue_token()


def _seconds_since(token):
    """Seconds since the form was shown, or None if the token is forged or stale."""
    try:
        issued = signing.loads(token, salt=_SIGNING_SALT)
    except (signing.BadSignature, TypeError):
        return None
    if not isinstance(issued, int):
        return None
    seconds = timezone.now().timestamp() - issued
    return seconds if seconds <= MAX_AGE_SECONDS else None


class EnquiryForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = EmailAddressField(label=_("Your e-mail"), help_text=_("The partner answers you here."))
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=3000,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say who you are and why this opportunity interests you."),
    )
    privacy = forms.BooleanField(
        label=_(
            "I agree that my message and contacts are passed on to the partner offering this "
            "opportunity and kept for 12 months"
        ),
        error_messages={"required": _("Please agree, otherwise we cannot pass on your message.")},
    )
    # Left empty by people (it is hidden); bots fill every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    shown_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        # Every rendering, first or after an error, starts the clock again; in
        # a page rendered for the whole-page cache this is a placeholder,
        # filled with the time each visitor gets the page (home/cache.py).
        self.initial["shown_at"] = per_visitor_value("enquiry-shown-at")
        if self.is_bound:
            data = self.data.copy()
            data["shown_at"] = self.initial["shown_at"]
            self._submitted_token = self.data.get("shown_at", "")
            self.data = data

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Please write your name."))
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_message(self):
        return self.cleaned_data["message"].strip()

    def clean(self):
        data = super().clean()
        seconds = _seconds_since(getattr(self, "_submitted_token", ""))
        if seconds is None:
            raise forms.ValidationError(
                _("This form has expired. Please check your message and send it again.")
            )
        if seconds < MIN_SECONDS:
            raise forms.ValidationError(
                _("That was very quick! Please check your message and send it again.")
            )
        return data

    @property
    def is_bot(self):
        """True when the hidden honeypot field was filled in."""
        return bool(self.data.get("website", "").strip())


def allow(request, email):
    """Count one enquiry; False when a limit per IP or per e-mail is exceeded."""
    return throttle.allow(request, email, RATE_LIMITS, "partners:enquiry")


def source_partner(opportunity):
    """The partner (in the default language, where its group is stored)
    whose section holds the opportunity."""
    from .models import PartnerPage

    parent = opportunity.get_parent().specific
    if not isinstance(parent, PartnerPage):
        return None
    default_locale = Locale.get_default()
    if parent.locale_id != default_locale.pk:
        parent = parent.get_translation_or_none(default_locale) or parent
    return parent


def recipient_for(partner):
    """The partner's contact e-mail, else the Academy's."""
    if partner is not None and partner.email:
        return partner.email
    return SiteFooter.load().contact_email


def submit_enquiry(opportunity, data, language, request=None):
    """Store the enquiry and queue its e-mail to the partner (after the
    commit, so a message is never sent for an enquiry that was not stored)."""
    partner = source_partner(opportunity)
    recipient = recipient_for(partner)
    enquiry = Enquiry.objects.create(
        opportunity=opportunity,
        opportunity_title=opportunity.title,
        partner=partner,
        name=data["name"],
        email=data["email"],
        phone=data.get("phone", "").strip(),
        message=data["message"],
        language=language,
        delivered_to=recipient or "",
    )
    if recipient:
        # On the public base URL, as every e-mail (README: WAGTAILADMIN_BASE_URL).
        enqueue_on_commit(send_enquiry, enquiry.pk, public_page_url(opportunity, request))
    else:
        logger.warning("Enquiry %s stored but nobody has a contact e-mail", enquiry.pk)
    return enquiry


@task()
def send_enquiry(enquiry_id, url):
    """E-mail the enquiry to the address it was stored for (sent by the
    worker; nothing is sent for an enquiry anonymised or deleted since)."""
    enquiry = Enquiry.objects.filter(pk=enquiry_id).first()
    if enquiry is None or not enquiry.email or not enquiry.delivered_to:
        return
    # Partners read it in the portal's first language.
    with translation.override(settings.LANGUAGE_CODE):
        context = {"enquiry": enquiry, "url": url, "retention_months": RETENTION_MONTHS}
        subject = render_to_string("partners/opportunities/email/enquiry_subject.txt", context)
        body = render_to_string("partners/opportunities/email/enquiry.txt", context)
    EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[enquiry.delivered_to],
        reply_to=[enquiry.email],
    ).send()


def months_ago(now, months):
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    day = min(now.day, 28)
    return now.replace(year=year, month=month + 1, day=day)


def anonymise_older_than(months=RETENTION_MONTHS, now=None):
    """Blank the personal data of enquiries older than `months`; keep the
    date and the opportunity for the statistics. Returns how many."""
    now = now or timezone.now()
    cutoff = months_ago(now, months)
    return Enquiry.objects.filter(created_at__lt=cutoff, anonymised_at__isnull=True).update(
        name="", email="", phone="", message="", anonymised_at=now
    )
