"""Admin views: inviting partners (Academy staff only)."""

from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from wagtail.models import Locale

from .forms import InvitePartnerForm
from .models import PartnerPage
from .moderation import is_academy_staff
from .onboarding import (
    InvitationError,
    invitation_language,
    invite_partner,
    link_expires_at,
    partners_of,
    pending_invitees,
    resend_invitation,
)


def invite(request):
    if not is_academy_staff(request.user):
        raise PermissionDenied
    form = InvitePartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invite_partner(
                data["email"],
                partner=data["partner"],
                name=data["name"],
                partner_type=data["partner_type"],
                short_description=data["short_description"],
                comuni=data["comuni"],
                sectors=data["sectors"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                language=data["language"],
                invited_by=request.user,
            )
        except InvitationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s for %(partner)s.")
                % {"email": invitation.user.email, "partner": invitation.partner.title},
            )
            return redirect(reverse("wagtailadmin_pages:edit", args=[invitation.partner.pk]))
    return TemplateResponse(
        request,
        "partners/admin/invite.html",
        {
            "form": form,
            "page_title": _("Invite a partner"),
            "header_icon": "group",
            "action_url": reverse("partners_invite"),
            "pending_invitee": form.pending_invitee and describe(form.pending_invitee),
            "pending_count": pending_invitees().count(),
            # The pending invitee's last e-mail, at the Academy's time as
            # the list of invitations shows it.
            "time_zone": settings.TIME_ZONE,
            "submit_button_label": _("Send the invitation"),
            "submit_button_active_label": _("Sending…"),
        },
        status=400 if request.method == "POST" else 200,
    )


# In a sentence ("e-mail in Italian"): lower case in Italian.
LANGUAGE_NAMES = {
    "it": pgettext_lazy("language in a sentence", "Italian"),
    "en": pgettext_lazy("language in a sentence", "English"),
}


def describe(user, partners=None):
    """A pending invitee as the admin shows it: who, for which partners (read
    here unless given), in which language, since when, and when the last
    e-mail went and whether its link still works. `expired` is also true
    when no e-mail was ever sent (an account made with send_email=False):
    either way, what the person holds cannot set a password."""
    language = invitation_language(user)
    try:
        sent = user.invitation_email
    except ObjectDoesNotExist:
        sent = None
    expires_at = sent and link_expires_at(sent.last_sent_at)
    return {
        "user": user,
        "partners": list(partners_of(user)) if partners is None else partners,
        "language": LANGUAGE_NAMES.get(language, language),
        "sent": sent,
        "expires_at": expires_at,
        "expired": expires_at is None or expires_at < timezone.now(),
    }


def invitations(request):
    """The invitations whose link was not used yet, each with "Send again"."""
    if not is_academy_staff(request.user):
        raise PermissionDenied
    pending = list(
        pending_invitees()
        .select_related("wagtail_userprofile", "invitation_email")
        .order_by("-date_joined", "email")
    )
    # Each person's partners, for the whole list in one query.
    partners = defaultdict(list)
    for partner in (
        PartnerPage.objects.filter(group__user__in=pending, locale=Locale.get_default())
        .annotate(invitee_id=F("group__user"))
        .order_by("title")
    ):
        partners[partner.invitee_id].append(partner)
    return TemplateResponse(
        request,
        "partners/admin/invitations.html",
        {
            # Those whose link no longer works first: they are the ones to chase.
            "invitees": sorted(
                (describe(user, partners[user.pk]) for user in pending),
                key=lambda invitee: not invitee["expired"],
            ),
            "time_zone": settings.TIME_ZONE,
            "page_title": _("Invitations waiting for a password"),
            "header_icon": "group",
        },
    )


@require_POST
def resend(request, user_id):
    if not is_academy_staff(request.user):
        raise PermissionDenied
    user = get_object_or_404(get_user_model(), pk=user_id)
    try:
        invitation = resend_invitation(user)
    except InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Invitation sent again to %(email)s for %(partner)s, with a new link to choose "
                "the password. The links sent before no longer work."
            )
            % {"email": invitation.user.email, "partner": invitation.partner.title},
        )
    return redirect(reverse("partners_invitations"))
