"""Reviewing challenge applications in Wagtail's admin.

Every view starts from `applications.visible_applications(user)`: Academy
staff see all, a partner's group members only the applications to the
challenges in their own section, anyone else none (the list is empty, a
detail or an attachment answers 404). Registered from wagtail_hooks.py."""

import django_filters

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseForbidden
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from home.exports import SpreadsheetExport

from . import applications
from .challenge_forms import StatusForm
from .choices import ApplicationStatus
from .models import ApplicationAttachment, ChallengeApplication, ChallengePage


def _visible_challenges(request):
    if request is None:
        return ChallengePage.objects.none()
    ids = applications.visible_applications(request.user).values("challenge_id")
    return ChallengePage.objects.filter(pk__in=ids).order_by("title")


class ApplicationFilterSet(WagtailFilterSet):
    challenge = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Challenge"), queryset=_visible_challenges
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=ApplicationStatus.choices
    )

    class Meta:
        model = ChallengeApplication
        fields = ["challenge", "status"]


class ApplicationReportView(SpreadsheetExport, ReportView):
    page_title = gettext_lazy("Challenge applications")
    header_icon = "form"
    index_url_name = "challenge_applications"
    index_results_url_name = "challenge_applications_results"
    filterset_class = ApplicationFilterSet
    paginate_by = 50
    columns = [
        TitleColumn(
            "reference",
            label=gettext_lazy("Reference"),
            get_url=lambda application: reverse(
                "challenge_application_detail", args=[application.pk]
            ),
        ),
        # What a reviewer looks for first, so a phone shows it without scrolling.
        Column("get_status_display", label=gettext_lazy("Status")),
        Column("name", label=gettext_lazy("Applicant")),
        DateColumn("created_at", label=gettext_lazy("Received")),
        Column("challenge", label=gettext_lazy("Challenge")),
        Column("get_applicant_type_display", label=gettext_lazy("Applying as")),
    ]
    export_name = "challenge-applications"
    export_columns = [
        ("reference", gettext_lazy("Reference")),
        ("created_at", gettext_lazy("Received")),
        ("challenge_title", gettext_lazy("Challenge")),
        ("get_status_display", gettext_lazy("Status")),
        ("status_note", gettext_lazy("Note to the applicant")),
        ("get_applicant_type_display", gettext_lazy("Applying as")),
        ("name", gettext_lazy("Applicant")),
        ("email", gettext_lazy("E-mail")),
        ("phone", gettext_lazy("Phone")),
        ("organisation", gettext_lazy("Team or business")),
        ("team_members", gettext_lazy("Team members")),
        ("answers_text", gettext_lazy("Answers")),
        ("idea", gettext_lazy("The idea")),
        ("attachment_names", gettext_lazy("Attachments")),
        ("language", gettext_lazy("Language")),
        ("withdrawn_at", gettext_lazy("Withdrawn")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not applications.can_review_any(request.user):
            return HttpResponseForbidden(_("Only the proposing partners and the Academy staff."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return (
            applications.visible_applications(self.request.user)
            .prefetch_related("attachments")
            .order_by("-created_at", "-pk")
        )

    def to_row_dict(self, item):
        item.challenge_title = item.challenge.title
        item.answers_text = "\n\n".join(
            f"{answer.get('question', '')}\n{answer.get('answer', '')}" for answer in item.answers
        )
        item.attachment_names = ", ".join(a.original_name for a in item.attachments.all())
        return super().to_row_dict(item)


def _not_yours():
    # A plain 403, whether the application exists or not: an Http404 here would
    # be turned into a redirect to a language-prefixed URL by LocaleMiddleware,
    # and PermissionDenied into a redirect by Wagtail.
    return HttpResponseForbidden(_("This application is not among those you may review."))


def application_detail(request, pk):
    application = (
        applications.visible_applications(request.user)
        .prefetch_related("attachments")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        return _not_yours()
    # The note starts empty: it goes with the e-mail about the next status,
    # never the note written for an earlier one.
    form = StatusForm(request.POST or None, initial={"status": application.status})
    if request.method == "POST":
        if application.withdrawn:
            messages.error(request, _("The applicant withdrew this application."))
            return redirect("challenge_application_detail", application.pk)
        if form.is_valid():
            status, note = form.cleaned_data["status"], form.cleaned_data["note"].strip()
            if status != application.status:
                applications.change_status(application, status, note, request.user)
                messages.success(
                    request,
                    _("Status changed to “%(status)s”: the applicant has been told by e-mail.")
                    % {"status": application.get_status_display()},
                )
                return redirect("challenge_application_detail", application.pk)
            if not note:
                messages.info(request, _("Nothing changed: the status is the same as before."))
                return redirect("challenge_application_detail", application.pk)
            # A note alone would reach nobody: say so, and keep what was typed.
            form.add_error(
                "note",
                _(
                    "The note is sent with the e-mail about a new status: choose the new "
                    "status, or write to the applicant at %(email)s."
                )
                % {"email": application.email},
            )
    return TemplateResponse(
        request,
        "partners/challenges/admin/application_detail.html",
        {
            "application": application,
            "form": form,
            "page_title": application.reference,
            "challenge_page": application.challenge,
        },
        status=400 if request.method == "POST" else 200,
    )


def attachment_download(request, pk):
    attachment = ApplicationAttachment.objects.filter(
        pk=pk, application__in=applications.visible_applications(request.user)
    ).first()
    if attachment is None:
        return _not_yours()
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.download_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@hooks.register("register_admin_urls")
def register_challenge_admin_urls():
    return [
        path(
            "challenges/applications/",
            ApplicationReportView.as_view(),
            name="challenge_applications",
        ),
        path(
            "challenges/applications/results/",
            ApplicationReportView.as_view(results_only=True),
            name="challenge_applications_results",
        ),
        path(
            "challenges/applications/<int:pk>/",
            application_detail,
            name="challenge_application_detail",
        ),
        path(
            "challenges/attachments/<int:pk>/",
            attachment_download,
            name="challenge_attachment_download",
        ),
    ]


class ReviewersMenuItem(MenuItem):
    def is_shown(self, request):
        return applications.can_review_any(request.user)


@hooks.register("register_admin_menu_item")
def register_applications_menu_item():
    return ReviewersMenuItem(
        gettext_lazy("Challenge applications"),
        reverse("challenge_applications"),
        name="challenge-applications",
        icon_name="form",
        order=260,
    )


@hooks.register("before_delete_page")
def keep_challenges_with_applications(request, page):
    """A challenge (or a partner section) with applications cannot be deleted:
    the applicants' data would be lost, and the database refuses anyway."""
    if ChallengeApplication.objects.filter(challenge__path__startswith=page.path).exists():
        messages.error(
            request,
            _(
                "This page cannot be deleted: applications were sent to a challenge in it. "
                "Unpublish it instead."
            ),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
