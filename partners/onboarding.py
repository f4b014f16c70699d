"""Onboarding partners: the draft profile, the partner's group with rights on
its own section only, its own image and document collection, the user
account and the invitation e-mail. Views, admin and commands call these
functions; each call is atomic, so a failure leaves nothing half-created."""

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Locale

from home.email_address import validate_deliverable_length
from home.links import public_url

from .choices import PartnerType
from .models import InvitationEmail, PartnerIndexPage, PartnerPage
from .moderation import add_existing_permissions

PARTNER_PAGE_PERMISSIONS = ["add_page", "change_page"]
PARTNER_COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}
# Model-wide rights of every partner's group. Adding venues: a partner then
# changes and deletes only those its group added (courses/venue_admin.py).
PARTNER_MODEL_PERMISSIONS = [("wagtailadmin", "access_admin"), ("courses", "add_venue")]
PARTNERS_COLLECTION_NAME = "Partners"
INVITATION_LANGUAGES = [code for code, _name in settings.LANGUAGES]


class InvitationError(Exception):
    """A translated, user-facing reason why an invitation was refused."""


class PendingInvitation(InvitationError):
    """The address belongs to a person already invited who has not chosen a
    password yet: staff can send the invitation again (`resend_invitation`)."""

    def __init__(self, message, user):
        super().__init__(message)
        self.user = user


@dataclass
class Invitation:
    partner: PartnerPage
    user: object
    created_partner: bool
    set_password_url: str
    # When the e-mail was sent (None when it was not: send_email=False).
    sent_at: object = None

    @property
    def link_expires_at(self):
        return self.sent_at and link_expires_at(self.sent_at)


def partner_index():
    """The Italian partner directory, where every profile is created."""
    index = (
        PartnerIndexPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("path")
        .first()
    )
    if index is None:
        raise InvitationError(
            _("There is no partner directory page yet: create it in the page tree first.")
        )
    return index


def check_email(email):
    """The address to invite, normalised; InvitationError (translated) when
    it is not an address mail servers accept or an account already has it."""
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as error:
        message = _("“%(email)s” is not a valid e-mail address.") % {"email": email}
        raise InvitationError(message) from error
    try:
        validate_deliverable_length(email)
    except ValidationError as error:
        raise InvitationError(error.messages[0]) from error
    user_model = get_user_model()
    taken = user_model.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
    pending = pending_invitees().filter(pk__in=taken.values("pk")).first()
    if pending is not None:
        raise PendingInvitation(
            _(
                "%(email)s has already been invited and has not chosen a password yet: "
                "send the invitation again instead."
            )
            % {"email": email},
            pending,
        )
    if taken.exists():
        raise InvitationError(
            _("The e-mail address %(email)s is already used by another account.") % {"email": email}
        )
    return email.lower()


def _unique_group_name(name):
    base = _group_name_base(name)
    candidate, number = base, 2
    while Group.objects.filter(name=candidate).exists():
        candidate = f"{base} ({number})"
        number += 1
    return candidate


def _group_name_base(name):
    return f"Partner: {name}"[:140]


def _permissions(app_label, codenames):
    return list(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


def grant_model_permissions(group, apps=global_apps):
    """PARTNER_MODEL_PERMISSIONS for a partner's group; with the historical
    models of a data migration too (pass its `apps`)."""
    add_existing_permissions(group, PARTNER_MODEL_PERMISSIONS, apps)


def grant_section_permissions(partner):
    """Add/edit (never publish) on the partner's page, its translations and
    everything below them. A new translation of the profile gets them from
    `on_new_partner_page`."""
    permissions = _permissions("wagtailcore", PARTNER_PAGE_PERMISSIONS)
    for page in partner.get_translations(inclusive=True):
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(
                group=partner.group, page=page, permission=permission
            )


def on_new_partner_page(sender, instance, created, raw=False, **kwargs):
    """A new PartnerPage that names an existing partner's group is either
    that profile's translation (wagtail-localize copies the page with its
    `group`), which joins the partner's section, or a plain copy of it (staff
    using a profile as a model), which must not: the copied partner's editors
    would see the sign-ups and applications under it, and a person invited
    to it would join their group."""
    if not created or raw or instance.group_id is None:
        return
    same_language = PartnerPage.objects.filter(
        group_id=instance.group_id, locale_id=instance.locale_id
    ).exclude(pk=instance.pk)
    if same_language.exists():
        PartnerPage.objects.filter(pk=instance.pk).update(group=None, collection=None)
        instance.group = instance.collection = None
    elif instance.get_translations().exists():
        grant_section_permissions(instance)


def _create_partner(index, name, partner_type, short_description, comuni, sectors, invited_by):
    slug = slugify(name)[:80]
    if not slug:
        raise InvitationError(_("Please give the partner's name."))
    if index.get_children().filter(slug=slug).exists():
        raise InvitationError(
            _(
                "A partner called “%(name)s” already exists: choose it as the existing "
                "partner to add a user to it."
            )
            % {"name": name}
        )
    if partner_type not in PartnerType.values:
        raise InvitationError(_("Choose the type of partner."))
    with translation.override(settings.LANGUAGE_CODE):
        default_description = _("New partner of the Academy: profile being completed.")
    group = Group.objects.create(name=_unique_group_name(name))
    grant_model_permissions(group)
    parent_collection = Collection.get_first_root_node()
    partners_collection = (
        parent_collection.get_children().filter(name=PARTNERS_COLLECTION_NAME).first()
    )
    if partners_collection is None:
        partners_collection = parent_collection.add_child(name=PARTNERS_COLLECTION_NAME)
    collection = partners_collection.add_child(name=name)
    for app_label, codenames in PARTNER_COLLECTION_PERMISSIONS.items():
        for permission in _permissions(app_label, codenames):
            GroupCollectionPermission.objects.create(
                group=group, collection=collection, permission=permission
            )
    partner = PartnerPage(
        title=name,
        slug=slug,
        partner_type=partner_type,
        short_description=short_description or default_description,
        comuni=list(comuni or []),
        sectors=list(sectors or []),
        live=False,
        owner=invited_by,
        group=group,
        collection=collection,
    )
    index.add_child(instance=partner)
    partner.save_revision(user=invited_by, log_action=True)
    grant_section_permissions(partner)
    return partner


def set_password_url(user):
    path = reverse(
        "wagtailadmin_password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return public_url(path)


def link_expires_at(sent_at):
    """When the set-password link of an e-mail sent at `sent_at` stops
    working. Django's token counts PASSWORD_RESET_TIMEOUT seconds on the
    server's naive local clock (Europe/Rome), so across a change of summer
    time the link lasts an hour more or less than those seconds: counted the
    same way here, "valid until" is the instant the link is refused."""
    zone = timezone.get_default_timezone()
    naive = timezone.localtime(sent_at, zone).replace(tzinfo=None)
    return timezone.make_aware(naive + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT), zone)


def record_sending(user):
    """Note that the mail server took an invitation e-mail for `user`:
    called right after sending, inside the same transaction, so an e-mail
    that failed leaves no trace. Returns the moment recorded."""
    now = timezone.now()
    updated = InvitationEmail.objects.filter(user=user).update(
        last_sent_at=now, times_sent=F("times_sent") + 1
    )
    if not updated:
        InvitationEmail.objects.create(user=user, last_sent_at=now, times_sent=1)
    return now


def send_invitation(invitation, language):
    context = {
        "partner": invitation.partner,
        "user": invitation.user,
        "set_password_url": invitation.set_password_url,
        "admin_url": public_url(reverse("wagtailadmin_home")),
    }
    with translation.override(language):
        subject = _("Your invitation to the Territorial Academy: %(partner)s") % {
            "partner": invitation.partner.title
        }
        text = render_to_string("partners/email/invitation.txt", context)
        html = render_to_string("partners/email/invitation.html", context)
    message = EmailMultiAlternatives(subject, text, to=[invitation.user.email])
    message.attach_alternative(html, "text/html")
    message.send()


@transaction.atomic
def invite_partner(
    email,
    *,
    partner=None,
    name="",
    partner_type="",
    short_description="",
    comuni=None,
    sectors=None,
    first_name="",
    last_name="",
    username=None,
    language=None,
    invited_by=None,
    send_email=True,
):
    """Invite a person to edit a partner's section.

    With `partner` (an existing PartnerPage) the new user joins its group;
    otherwise a new draft profile called `name` is created with its group
    and collection. Raises InvitationError (translated) and creates nothing
    when the e-mail is invalid or taken, or the directory page is missing.
    """
    language = language or settings.LANGUAGE_CODE
    if language not in INVITATION_LANGUAGES:
        raise InvitationError(_("Choose Italian or English for the invitation."))
    email = check_email(email)
    if partner is None:
        name = (name or "").strip()
        partner = _create_partner(
            partner_index(), name, partner_type, short_description, comuni, sectors, invited_by
        )
        created = True
    else:
        partner = partner.specific
        if partner.group is None:
            raise InvitationError(
                _("This partner has no editors' group: invite it as a new partner.")
            )
        created = False

    user_model = get_user_model()
    user = user_model(
        username=username or email,
        email=email,
        first_name=first_name,
        last_name=last_name,
    )
    user.set_unusable_password()
    user.save()
    user.groups.add(partner.group)
    _set_admin_language(user, language)
    invitation = Invitation(
        partner=partner, user=user, created_partner=created, set_password_url=set_password_url(user)
    )
    if send_email:
        try:
            send_invitation(invitation, language)
        except OSError as error:
            # Raised inside this atomic block: the account, group and
            # profile are rolled back, and staff read why instead of an
            # error page.
            raise InvitationError(
                _(
                    "The invitation e-mail to %(email)s could not be sent (the mail server "
                    "did not answer): nothing was created. Try again in a few minutes."
                )
                % {"email": email}
            ) from error
        invitation.sent_at = record_sending(user)
    return invitation


def pending_invitees():
    """The people invited for a partner who have not chosen a password yet:
    active accounts in a partner's group whose password is still the
    unusable one `invite_partner` gave them. The link sets it, so this is
    exactly "the invitation was not used"; "never logged in" is not (the
    set-password page does not log in, and someone may choose a password
    today and log in next week)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            is_superuser=False,
            password__startswith=UNUSABLE_PASSWORD_PREFIX,
            groups__partner_pages__isnull=False,
        )
        .distinct()
    )


def invitation_language(user):
    """The language the person was invited in: their admin language, which
    `invite_partner` set."""
    try:
        language = user.wagtail_userprofile.preferred_language
    except ObjectDoesNotExist:
        language = ""
    return language if language in INVITATION_LANGUAGES else settings.LANGUAGE_CODE


def resend_invitation(user):
    """Send the invitation e-mail again to a person who has not chosen a
    password yet, with a fresh link, in the language they were invited in.

    The account gets a new unusable password, which is part of the link's
    token: the links sent before stop working, so only the latest e-mail
    counts. If the mail server refuses the e-mail the change is rolled back
    (the earlier link still works) and InvitationError (translated) is
    raised; it is raised too, and nothing is sent, for a person who already
    chose a password or is no partner's invitee."""
    user_model = get_user_model()
    with transaction.atomic():
        # Locked: two staff pressing "Resend" at once send one link each,
        # and the second e-mail's is the one that works.
        user = user_model.objects.select_for_update().get(pk=user.pk)
        if not pending_invitees().filter(pk=user.pk).exists():
            if user.is_active and user.has_usable_password():
                raise InvitationError(
                    _(
                        "%(email)s has already chosen a password, so there is no invitation "
                        "to send again: they can log in, or use “Forgotten password?” on the "
                        "login page."
                    )
                    % {"email": user.email}
                )
            raise InvitationError(
                _("%(email)s has no pending invitation to send again.") % {"email": user.email}
            )
        partner = partners_of(user).first()
        language = invitation_language(user)
        try:
            with transaction.atomic():
                user.set_unusable_password()
                user.save(update_fields=["password"])
                invitation = Invitation(
                    partner=partner,
                    user=user,
                    created_partner=False,
                    set_password_url=set_password_url(user),
                )
                send_invitation(invitation, language)
                invitation.sent_at = record_sending(user)
        except OSError as error:
            raise InvitationError(
                _(
                    "The e-mail to %(email)s could not be sent (the mail server did not "
                    "answer): nothing changed, the invitation is still pending. Try again "
                    "in a few minutes."
                )
                % {"email": user.email}
            ) from error
    return invitation


def _set_admin_language(user, language):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def partners_of(user):
    """The partner profiles (Italian, the source) whose group the user is in."""
    return PartnerPage.objects.filter(
        group__in=user.groups.all(), locale=Locale.get_default()
    ).order_by("title")
