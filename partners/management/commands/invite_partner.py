from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from partners.choices import OPERATING_AREAS, PartnerType, Sector
from partners.models import PartnerPage
from partners.onboarding import (
    InvitationError,
    PendingInvitation,
    invite_partner,
    resend_invitation,
)


class Command(BaseCommand):
    help = (
        "Invite a person to edit a partner's pages: creates the partner's draft profile, "
        "group and collection (or adds the person to an existing partner with --partner), "
        "the account, and e-mails a link to choose a password. With --resend, e-mails a "
        "fresh link to a person invited who has not chosen a password yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--partner", help="Slug of an existing partner to add the person to.")
        parser.add_argument("--name", default="", help="Name of the new partner.")
        parser.add_argument("--type", dest="partner_type", default="", choices=PartnerType.values)
        parser.add_argument("--description", default="", help="Short description of the partner.")
        parser.add_argument(
            "--comune",
            action="append",
            default=[],
            choices=[key for key, _label in OPERATING_AREAS],
            help="Where the partner operates (repeat for several).",
        )
        parser.add_argument(
            "--sector", action="append", default=[], choices=Sector.values, help="Repeatable."
        )
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--language", default="it", choices=[c for c, _n in settings.LANGUAGES])
        parser.add_argument(
            "--resend",
            action="store_true",
            help="Send the invitation again (a fresh link, in the language of the first one).",
        )

    def handle(self, *args, **options):
        if options["resend"]:
            return self.resend(options["email"])
        partner = None
        if options["partner"]:
            partner = PartnerPage.objects.filter(
                slug=options["partner"], locale__language_code=settings.LANGUAGE_CODE
            ).first()
            if partner is None:
                raise CommandError(f"No partner with the slug “{options['partner']}”.")
        elif not options["name"] or not options["partner_type"]:
            raise CommandError("Give --partner SLUG, or --name and --type for a new partner.")
        try:
            invitation = invite_partner(
                options["email"],
                partner=partner,
                name=options["name"],
                partner_type=options["partner_type"],
                short_description=options["description"],
                comuni=options["comune"],
                sectors=options["sector"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                language=options["language"],
            )
        except PendingInvitation as error:
            raise CommandError(f"{error} (--resend)") from error
        except InvitationError as error:
            raise CommandError(str(error)) from error
        what = "new partner" if invitation.created_partner else "existing partner"
        self.stdout.write(
            self.style.SUCCESS(
                f"Invited {invitation.user.email} to the {what} “{invitation.partner.title}” "
                f"(page {invitation.partner.pk}, group “{invitation.partner.group.name}”)."
                + (f" {when_sent(invitation)}" if invitation.sent_at else "")
            )
        )

    def resend(self, email):
        user = (
            get_user_model()
            .objects.filter(Q(email__iexact=email.strip()) | Q(username__iexact=email.strip()))
            .first()
        )
        if user is None:
            raise CommandError(f"Nobody with the address {email} was invited.")
        try:
            invitation = resend_invitation(user)
        except InvitationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Invitation sent again to {invitation.user.email} "
                f"for “{invitation.partner.title}”. {when_sent(invitation)}"
            )
        )


def when_sent(invitation):
    """The e-mail's time and its link's expiry, in the site's time zone."""
    zone = timezone.get_default_timezone()

    def moment(value):
        return f"{timezone.localtime(value, zone):%Y-%m-%d %H:%M}"

    return (
        f"E-mail sent on {moment(invitation.sent_at)} ({zone.key}); "
        f"its link works until {moment(invitation.link_expires_at)}."
    )
