"""Admin views: inviting partners (Academy staff only)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .forms import InvitePartnerForm
from .moderation import is_academy_staff
from .onboarding import InvitationError, invite_partner


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
            "submit_button_label": _("Send the invitation"),
            "submit_button_active_label": _("Sending…"),
        },
        status=400 if request.method == "POST" else 200,
    )
