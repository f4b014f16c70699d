"""Applications to challenge calls: checking attachments by their content,
taking an application, the signed link to view or withdraw it, the review
statuses and their e-mails, and who may see what. Views, the admin and the
demo call these functions."""

import os
import secrets
import uuid

import filetype
from django_tasks import task

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from home import throttle
from home.background import enqueue_on_commit
from home.links import public_page_url, public_url
from home.localize import in_language

from .choices import REVIEW_STATUSES, ApplicationStatus, CallState
from .enquiries import recipient_for
from .models import ApplicationAttachment, ChallengeApplication, PartnerPage
from .moderation import is_academy_staff
from .onboarding import partners_of

MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
# What applicants may attach, by the type found in the file's first bytes.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
# The names people give such files ("foto.jpeg" as well as "foto.jpg").
ACCEPTED_EXTENSIONS = {*ALLOWED_TYPES.values(), "jpeg"}
TOKEN_SALT = "partners.challenge-application"  # noqa: S105 - a signing salt
THROTTLE_LIMITS = (
    # (what, how many, seconds)
    ("ip", 8, 10 * 60),
    ("email", 4, 60 * 60),
)


class ApplicationClosed(Exception):
    """The call does not accept applications (or withdrawals) now."""


# --- attachments ------------------------------------------------------------
def check_attachment(upload):
    """Return (content type, extension) read from the file's content; raise a
    translated ValidationError for a file too large or of a type not accepted,
    whatever its name says."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("“%(name)s” is too large: files may be at most %(size)s MB.")
            % {"name": upload.name, "size": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head) if head else None
    if kind is None or kind.mime not in ALLOWED_TYPES:
        named = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if named in ACCEPTED_EXTENSIONS:
            # "curriculum.pdf" that is no PDF: damaged, or another file renamed.
            raise ValidationError(
                _(
                    "“%(name)s” is called a %(extension)s file, but it is not one inside: it "
                    "may be damaged, or another kind of file renamed. Open it, save it again "
                    "as %(extension)s and send the new file."
                )
                % {"name": upload.name, "extension": named.upper()},
                code="bad_type",
            )
        raise ValidationError(
            _(
                "“%(name)s” is not a file type we accept. Send PDF, images (JPEG, PNG) or "
                "office documents (Word, Excel, PowerPoint, LibreOffice)."
            )
            % {"name": upload.name},
            code="bad_type",
        )
    return kind.mime, ALLOWED_TYPES[kind.mime]


# --- rate limits ------------------------------------------------------------
def allow_submission(request, email):
    """Count one attempt; False when a limit per IP or per e-mail is exceeded."""
    return throttle.allow(request, email, THROTTLE_LIMITS, "partners:challenge-apply")


# --- taking an application --------------------------------------------------
def _new_reference():
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        code = "".join(secrets.choice(alphabet) for _ in range(8))
        reference = f"SF-{timezone.localdate():%Y}-{code}"
        if not ChallengeApplication.objects.filter(reference=reference).exists():
            return reference


def submit_application(challenge, data, answers, uploads, language, now=None):
    """Store an application to `challenge` (any language; it is filed on the
    source challenge) and send the receipt after commit. `answers` is a list
    of {"question", "answer"}; `uploads` a list of (file, type, extension)
    already checked by `check_attachment`. Raises ApplicationClosed."""
    now = now or timezone.now()
    source = challenge.source()
    if source.call_state(now) != CallState.OPEN:
        raise ApplicationClosed
    with transaction.atomic():
        application = ChallengeApplication.objects.create(
            challenge=source,
            reference=_new_reference(),
            language=language,
            applicant_type=data["applicant_type"],
            name=data["name"].strip(),
            email=data["email"].strip(),
            phone=data.get("phone", "").strip(),
            organisation=data.get("organisation", "").strip(),
            team_members=data.get("team_members", "").strip(),
            answers=answers,
            idea=data["idea"].strip(),
            privacy_consent_at=now,
            sharing_consent_at=now,
            created_at=now,
        )
        for upload, content_type, extension in uploads:
            attachment = ApplicationAttachment(
                application=application,
                original_name=os.path.basename(upload.name)[:200],
                content_type=content_type,
                size=upload.size,
            )
            # A random name: nothing about the applicant in the path.
            attachment.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
            attachment.save()
        enqueue_on_commit(send_application_email, application.pk, "receipt")
    return application


# --- the signed link ----------------------------------------------------------
def make_token(application):
    return signing.dumps(str(application.uuid), salt=TOKEN_SALT, compress=False)


def application_for_token(token):
    """The application a signed token names, or None if tampered or unknown."""
    try:
        value = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    try:
        reference = uuid.UUID(str(value))
    except ValueError:
        return None
    return (
        ChallengeApplication.objects.select_related("challenge")
        .prefetch_related("attachments")
        .filter(uuid=reference)
        .first()
    )


def manage_url(application):
    with translation.override(application.language):
        path = reverse("challenge_application", args=[make_token(application)])
    return public_url(path)


def can_still_change(application, now=None):
    """The applicant may view and withdraw until the deadline."""
    now = now or timezone.now()
    return now < application.challenge.closes_at and not application.withdrawn


def withdraw(application, now=None):
    """Withdraw the application and queue the e-mail telling the applicant
    (whoever held the link may have done it). Only the request that really
    withdraws it queues the e-mail: a second request, even one racing the
    first, finds it withdrawn already."""
    now = now or timezone.now()
    if not can_still_change(application, now):
        raise ApplicationClosed
    fields = {
        "status": ApplicationStatus.WITHDRAWN,
        "withdrawn_at": now,
        "status_changed_at": now,
    }
    with transaction.atomic():
        changed = (
            ChallengeApplication.objects.filter(pk=application.pk)
            .exclude(status=ApplicationStatus.WITHDRAWN)
            .update(**fields)
        )
        if changed:
            enqueue_on_commit(send_application_email, application.pk, "withdrawn")
    if not changed:
        raise ApplicationClosed
    for name, value in fields.items():
        setattr(application, name, value)
    return application


# --- review -------------------------------------------------------------------
def visible_applications(user):
    """Staff see every application; a partner's group members see those to
    the challenges in their own section; everyone else none."""
    applications = ChallengeApplication.objects.select_related("challenge")
    if not user.is_authenticated or not user.is_active:
        return applications.none()
    if is_academy_staff(user):
        return applications
    sections = Q()
    found = False
    for partner in partners_of(user):
        sections |= Q(challenge__path__startswith=partner.path)
        found = True
    if not found:
        return applications.none()
    return applications.filter(sections)


def can_review_any(user):
    return user.is_authenticated and (is_academy_staff(user) or partners_of(user).exists())


def change_status(application, status, note="", user=None, now=None):
    """Set a review status and its note; e-mail the applicant when the status
    changes. A withdrawn application stays withdrawn."""
    if status not in dict(REVIEW_STATUSES):
        raise ValueError(status)
    if application.withdrawn:
        raise ApplicationClosed
    changed = application.status != status
    application.status = status
    application.status_note = note.strip()
    if changed:
        application.status_changed_at = now or timezone.now()
    application.save(update_fields=["status", "status_note", "status_changed_at"])
    if changed:
        enqueue_on_commit(send_application_email, application.pk, "status", str(status))
    return changed


# --- e-mails ------------------------------------------------------------------
def challenge_in(application):
    """The challenge in the applicant's language where translated."""
    return in_language(application.challenge, application.language)


def _send(application, template, subject, extra):
    challenge = challenge_in(application)
    context = {"application": application, "challenge": challenge, **extra}
    with translation.override(application.language):
        text = render_to_string(f"partners/challenges/email/{template}.txt", context)
        html = render_to_string(f"partners/challenges/email/{template}.html", context)
        subject = subject(challenge)
    message = EmailMultiAlternatives(subject, text, to=[application.email])
    message.attach_alternative(html, "text/html")
    message.send()


@task()
def send_application_email(application_id, kind, status=None):
    """The e-mail `kind` ("receipt", "status" or "withdrawn") for the
    application, sent by the worker. A status e-mail overtaken by a later
    review (the status changed again, or the application was withdrawn or
    erased) is dropped: the later change queued its own."""
    application = (
        ChallengeApplication.objects.select_related("challenge").filter(pk=application_id).first()
    )
    if application is None or not application.email:
        return
    if kind == "receipt":
        send_receipt(application)
    elif kind == "withdrawn":
        if application.withdrawn:
            send_withdrawal_email(application)
    elif application.status == status:
        send_status_email(application)


def send_receipt(application):
    _send(
        application,
        "receipt",
        lambda challenge: (
            _("Application received: %(challenge)s (%(reference)s)")
            % {"challenge": challenge.title, "reference": application.reference}
        ),
        {"manage_url": manage_url(application)},
    )


def send_status_email(application):
    _send(
        application,
        "status",
        lambda challenge: (
            _("Your application %(reference)s: %(status)s")
            % {"reference": application.reference, "status": application.get_status_display()}
        ),
        {},
    )


def new_application_url(challenge, application, absolute=False):
    """The form for a new application to the same call (`challenge`, in the
    applicant's language), while it is open: a path for the applicant's
    page, the whole address (`absolute`) for an e-mail; "" once closed."""
    if not challenge.live or application.challenge.call_state() != CallState.OPEN:
        return ""
    base = public_page_url(challenge) if absolute else challenge.url
    return base + challenge.reverse_subpage("apply_view")


def send_withdrawal_email(application):
    """Tell the applicant the application was withdrawn: the link in the
    receipt may have been forwarded, so whoever did not do it learns whom to
    write to (the partner who posed the challenge, else the Academy)."""
    partner = application.challenge.get_parent().specific
    contact = recipient_for(partner if isinstance(partner, PartnerPage) else None)
    _send(
        application,
        "withdrawn",
        lambda challenge: (
            _("Application withdrawn: %(challenge)s (%(reference)s)")
            % {"challenge": challenge.title, "reference": application.reference}
        ),
        {
            "apply_url": new_application_url(challenge_in(application), application, absolute=True),
            "contact": contact,
        },
    )
