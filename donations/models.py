"""The Solidarity Fund: its page, the gifts made through it, the payments
Stripe confirmed, and the Stripe events already handled.

Money is stored in integer euro cents. A gift counts only through a
`Payment`, which only `stripe_events.py` creates, from a verified webhook."""

import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.blocks import RICH_TEXT_FEATURES, BodyBlock
from home.models import BasePage

from .choices import DisputeStatus, DonationStatus, DonorType, Frequency


def euros_to_cents(amount):
    """Decimal euros to integer cents, exactly (never through a float)."""
    return int((Decimal(amount) * 100).quantize(Decimal("1")))


def parse_amounts(text):
    """ "10, 25, 50" → [Decimal(10), Decimal(25), Decimal(50)]; raises ValueError."""
    amounts = []
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip().replace("€", "")
        if part:
            amount = Decimal(part.replace(" ", ""))
            if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
                raise ValueError(part)
            amounts.append(amount)
    return amounts


class DonationPage(RoutablePageMixin, BasePage):
    """The Fondo Solidale: its story, its figures, the donation form, the
    progress bar and the donor wall. Its translations share the same fund
    (gifts are counted by the page's translation key)."""

    intro = models.TextField(_("introduction"), max_length=500, blank=True)
    story = StreamField(BodyBlock(), verbose_name=_("the fund's story"), blank=True)
    goal_eur = models.PositiveIntegerField(
        _("goal (EUR)"), default=150_000, help_text=_("The total the fund aims to reach.")
    )
    endowment_eur = models.PositiveIntegerField(
        _("initial endowment (EUR)"),
        default=40_000,
        help_text=_("The money the fund started with, counted in the progress bar."),
    )
    endowment_from = models.CharField(
        _("initial endowment given by"), max_length=120, default="Distretto Sociale 3 Est Milano"
    )
    match_eur = models.PositiveIntegerField(
        _("matching contribution (EUR)"),
        default=40_000,
        help_text=_("What a foundation added to double the initial endowment."),
    )
    match_from = models.CharField(
        _("matching contribution given by"), max_length=120, default="Fondazione di Comunità Milano"
    )
    preset_amounts = models.CharField(
        _("suggested amounts (EUR)"),
        max_length=100,
        default="10, 25, 50, 100",
        help_text=_("Whole or decimal euro amounts separated by commas, e.g. 10, 25, 50, 100."),
    )
    min_amount_eur = models.DecimalField(
        _("smallest gift (EUR)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("5"),
        validators=[MinValueValidator(Decimal("1"))],
    )
    max_amount_eur = models.DecimalField(
        _("largest online gift (EUR)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("10000"),
        help_text=_("Larger gifts are welcome by bank transfer."),
    )
    thank_you_text = RichTextField(
        _("thank-you text"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("Shown when the donor comes back from the payment page."),
    )
    bank_transfer_details = models.TextField(
        _("bank transfer details"),
        blank=True,
        help_text=_(
            "Account holder, IBAN and reason for payment, for those who prefer a transfer."
        ),
    )
    receipt_issuer = models.TextField(
        _("receipt issuer"),
        blank=True,
        help_text=_(
            "Name, address and codice fiscale of the organisation that receives the gifts, "
            "as printed on receipts."
        ),
    )
    receipt_tax_note = models.TextField(
        _("tax note on receipts"),
        blank=True,
        help_text=_("The law under which gifts are deductible, printed on every receipt."),
    )
    campaign_sponsor = models.CharField(
        _("matching sponsor"),
        max_length=120,
        blank=True,
        help_text=_("Optional: a sponsor that matches the gifts made online."),
    )
    campaign_multiplier = models.DecimalField(
        _("matching multiplier"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1"),
        help_text=_("1 doubles every gift, 0.5 adds half of it."),
    )
    campaign_cap_eur = models.PositiveIntegerField(
        _("matching cap (EUR)"), default=0, help_text=_("The most the sponsor will add.")
    )
    campaign_ends_on = models.DateField(
        _("matching ends on"),
        null=True,
        blank=True,
        help_text=_("Gifts received after this day are not matched."),
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("intro"),
        FieldPanel("story"),
        MultiFieldPanel(
            [
                FieldPanel("goal_eur"),
                FieldRowPanel([FieldPanel("endowment_eur"), FieldPanel("endowment_from")]),
                FieldRowPanel([FieldPanel("match_eur"), FieldPanel("match_from")]),
            ],
            heading=_("Figures of the fund"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("preset_amounts"),
                FieldRowPanel([FieldPanel("min_amount_eur"), FieldPanel("max_amount_eur")]),
                FieldPanel("thank_you_text"),
                FieldPanel("bank_transfer_details"),
            ],
            heading=_("Giving"),
        ),
        MultiFieldPanel(
            [FieldPanel("receipt_issuer"), FieldPanel("receipt_tax_note")],
            heading=_("Receipts"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("campaign_sponsor"),
                FieldRowPanel([FieldPanel("campaign_multiplier"), FieldPanel("campaign_cap_eur")]),
                FieldPanel("campaign_ends_on"),
            ],
            heading=_("Matching campaign (optional)"),
        ),
    ]

    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("slug"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("listing_summary"),
        SynchronizedField("listing_image"),
        TranslatableField("intro"),
        TranslatableField("story"),
        SynchronizedField("goal_eur"),
        SynchronizedField("endowment_eur"),
        SynchronizedField("endowment_from"),
        SynchronizedField("match_eur"),
        SynchronizedField("match_from"),
        SynchronizedField("preset_amounts"),
        SynchronizedField("min_amount_eur"),
        SynchronizedField("max_amount_eur"),
        TranslatableField("thank_you_text"),
        TranslatableField("bank_transfer_details"),
        SynchronizedField("receipt_issuer"),
        TranslatableField("receipt_tax_note"),
        SynchronizedField("campaign_sponsor"),
        SynchronizedField("campaign_multiplier"),
        SynchronizedField("campaign_cap_eur"),
        SynchronizedField("campaign_ends_on"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("donation page")
        verbose_name_plural = _("donation pages")

    def clean(self):
        super().clean()
        errors = {}
        try:
            if not parse_amounts(self.preset_amounts):
                raise ValueError
        except (ValueError, ArithmeticError):
            errors["preset_amounts"] = _("Write amounts in euros separated by commas.")
        low, high = self.min_amount_eur, self.max_amount_eur
        if low is not None and high is not None and high < low:
            errors["max_amount_eur"] = _("The largest gift must not be below the smallest.")
        if errors:
            raise ValidationError(errors)

    @property
    def amounts(self):
        try:
            return parse_amounts(self.preset_amounts)
        except (ValueError, ArithmeticError):
            return []

    @property
    def fund_key(self):
        return self.translation_key

    @path("")
    def index(self, request):
        from .views import donation_page_view

        return donation_page_view(request, self)

    # Where Stripe sends the donor back, in the page's language; every
    # address answers on every page, so a link already given keeps working.
    RETURN_ROUTES = {"en": {"thank_you": "thank_you_en", "cancelled": "cancelled_en"}}

    def return_url(self, name):
        """The path (below the page) of the return page `name`."""
        route = self.RETURN_ROUTES.get(self.locale.language_code, {}).get(name, name)
        return self.reverse_subpage(route)

    @path("grazie/")
    @path("thank-you/", name="thank_you_en")
    def thank_you(self, request):
        from .views import thank_you_view

        return thank_you_view(request, self)

    @path("annullata/")
    @path("cancelled/", name="cancelled_en")
    def cancelled(self, request):
        from .views import cancelled_view

        return cancelled_view(request, self)


class DonationQuerySet(models.QuerySet):
    def counted(self):
        """Gifts with at least one confirmed payment not wholly refunded nor
        taken back by a lost dispute."""
        return self.filter(
            payments__amount_cents__gt=F("payments__refunded_cents") + F("payments__lost_cents")
        ).distinct()

    def on_wall(self):
        return self.counted().filter(show_on_wall=True, anonymous=False).exclude(public_name="")


class Donation(models.Model):
    """A donor's gift as filled in on the form: once, or monthly. Its money
    is in its `payments`, which Stripe's webhooks create."""

    cache_domain = "fund"  # a save moves only the fund's generation (home/cache.py)

    uuid = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    fund = models.UUIDField(
        _("fund"), db_index=True, help_text=_("The donation page's translation key.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    language = models.CharField(_("language"), max_length=8, default="it")
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3, default="eur")
    status = models.CharField(
        _("status"), max_length=12, choices=DonationStatus.choices, default=DonationStatus.STARTED
    )
    # Who gives: the data an Italian receipt for a deductible gift needs.
    donor_type = models.CharField(_("donor type"), max_length=14, choices=DonorType.choices)
    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    organisation_name = models.CharField(
        _("company or organisation name"), max_length=160, blank=True
    )
    tax_code = models.CharField(_("codice fiscale or partita IVA"), max_length=16)
    street = models.CharField(_("street and number"), max_length=160)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("town"), max_length=80)
    province = models.CharField(_("province"), max_length=2, blank=True)
    country = models.CharField(_("country"), max_length=2, default="IT")
    email = models.EmailField(_("e-mail"))
    # The donor wall.
    public_name = models.CharField(_("name on the donor wall"), max_length=80, blank=True)
    public_message = models.CharField(_("message on the donor wall"), max_length=280, blank=True)
    show_on_wall = models.BooleanField(_("agreed to appear on the donor wall"), default=False)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    privacy_consent_at = models.DateTimeField(_("privacy notice accepted"))
    # What Stripe told us.
    stripe_checkout_session_id = models.CharField(
        max_length=255, unique=True, null=True, blank=True
    )
    stripe_checkout_url = models.URLField(max_length=2000, blank=True)
    stripe_payment_intent_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    stripe_subscription_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    stripe_customer_id = models.CharField(max_length=255, blank=True, db_index=True)
    checkout_completed_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(_("monthly gift ended"), null=True, blank=True)

    objects = DonationQuerySet.as_manager()

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.donor_name} — {self.amount_display}"

    def shown_publicly(self):
        """Whether a public page can show this gift (home/cache.py): only
        through its payments (the fund's progress, the donor wall), so a
        checkout opened, abandoned or failed before any payment shows
        nowhere and moves no cache."""
        return self.pk is not None and self.payments.exists()

    @property
    def donor_name(self):
        if self.donor_type == DonorType.INDIVIDUAL:
            return f"{self.first_name} {self.last_name}".strip()
        return self.organisation_name

    @property
    def amount(self):
        return Decimal(self.amount_cents) / 100

    @property
    def amount_display(self):
        return f"€ {self.amount:.2f}"

    @property
    def address_lines(self):
        place = " ".join(
            p
            for p in [self.postcode, self.city, f"({self.province})" if self.province else ""]
            if p
        )
        return [self.street, place, self.country]

    def refresh_status(self):
        """The status follows from the recorded facts, whatever the order
        in which Stripe's events brought them."""
        totals = self.payments.aggregate(
            paid=Sum("amount_cents"), refunded=Sum("refunded_cents"), lost=Sum("lost_cents")
        )
        paid, refunded, lost = totals["paid"] or 0, totals["refunded"] or 0, totals["lost"] or 0
        if self.frequency == Frequency.MONTHLY and self.cancelled_at:
            status = DonationStatus.CANCELLED
        elif paid and paid <= refunded + lost:
            status = DonationStatus.CHARGED_BACK if lost else DonationStatus.REFUNDED
        elif paid:
            status = (
                DonationStatus.ACTIVE
                if self.frequency == Frequency.MONTHLY
                else DonationStatus.PAID
            )
        elif self.failed_at:
            status = DonationStatus.FAILED
        elif self.checkout_completed_at:
            status = DonationStatus.PENDING
        elif self.expired_at:
            status = DonationStatus.EXPIRED
        else:
            status = DonationStatus.STARTED
        if status != self.status:
            self.status = status
            self.save(update_fields=["status"])
        return status


class Payment(models.Model):
    """Money Stripe confirmed: a one-off gift, or one monthly instalment.
    Each has its own receipt, numbered progressively within its year."""

    cache_domain = "fund"  # a save moves only the fund's generation (home/cache.py)

    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="payments")
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    refunded_cents = models.PositiveIntegerField(_("refunded (cents)"), default=0)
    paid_at = models.DateTimeField(_("paid"), db_index=True)
    stripe_payment_intent_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    stripe_invoice_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    receipt_year = models.PositiveIntegerField(_("receipt year"))
    receipt_number = models.PositiveIntegerField(_("receipt number"))
    receipt_sent_at = models.DateTimeField(null=True, blank=True)
    # The donor's bank disputed the payment (a chargeback): Stripe's dispute,
    # as its latest event left it. Lost, its amount leaves the fund.
    stripe_dispute_id = models.CharField(max_length=255, blank=True)
    dispute_status = models.CharField(
        _("dispute"), max_length=30, choices=DisputeStatus.choices, blank=True
    )
    dispute_reason = models.CharField(_("reason of the dispute"), max_length=40, blank=True)
    disputed_at = models.DateTimeField(_("disputed"), null=True, blank=True)
    # When Stripe created the event that brought the dispute's status: an
    # older event arriving late changes nothing.
    dispute_updated_at = models.DateTimeField(null=True, blank=True)
    lost_cents = models.PositiveIntegerField(_("lost in a dispute (cents)"), default=0)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["receipt_year", "receipt_number"], name="unique_receipt_number"
            ),
            models.CheckConstraint(
                condition=Q(refunded_cents__lte=F("amount_cents") - F("lost_cents")),
                name="refund_and_loss_within_amount",
            ),
        ]

    # What the fund's progress reads (donations/progress.py); a save of
    # other fields only (a receipt sent, Stripe's ids, a dispute's
    # progress) moves no cache (home/cache.py).
    public_fields = frozenset(
        {"donation", "amount_cents", "refunded_cents", "paid_at", "lost_cents"}
    )

    def __str__(self):
        return self.receipt_label

    @property
    def receipt_label(self):
        return f"{self.receipt_year}/{self.receipt_number:05d}"

    @property
    def amount(self):
        return Decimal(self.amount_cents) / 100

    @staticmethod
    def net_expression(prefix=""):
        """What payments leave to the fund, in the database: their amount
        less refunds and disputes lost (`prefix`: the path to the payment)."""
        return F(f"{prefix}amount_cents") - F(f"{prefix}refunded_cents") - F(f"{prefix}lost_cents")

    @property
    def net_cents(self):
        return self.amount_cents - self.refunded_cents - self.lost_cents

    @property
    def net(self):
        return Decimal(self.net_cents) / 100


class RenewalFailure(models.Model):
    """A monthly instalment Stripe could not collect (`invoice.payment_failed`):
    one per invoice however often Stripe retries it, so the donor hears of
    it once (`notice_sent_at`). A later payment of the gift resolves it."""

    donation = models.ForeignKey(
        Donation, on_delete=models.CASCADE, related_name="renewal_failures"
    )
    stripe_invoice_id = models.CharField(max_length=255, unique=True)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    failed_at = models.DateTimeField(_("payment failed"), db_index=True)
    last_failed_at = models.DateTimeField(_("last attempt failed"))
    attempt_count = models.PositiveIntegerField(_("attempts"), default=1)
    next_attempt_at = models.DateTimeField(_("Stripe tries again"), null=True, blank=True)
    hosted_invoice_url = models.URLField(max_length=2000, blank=True)
    resolved_at = models.DateTimeField(_("paid since"), null=True, blank=True)
    notice_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("failed monthly payment")
        verbose_name_plural = _("failed monthly payments")
        ordering = ["-failed_at"]

    def __str__(self):
        return f"{self.stripe_invoice_id} ({self.donation_id})"


class ReceiptSequence(models.Model):
    """The last receipt number given in a year (locked while numbering)."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class StripeEvent(models.Model):
    """Every Stripe event handled, stored in the same transaction as its
    effects: a retry or duplicate finds it here and changes nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100, db_index=True)
    created = models.DateTimeField(help_text="When Stripe created the event.")
    received_at = models.DateTimeField(auto_now_add=True)
    livemode = models.BooleanField(default=False)
    payload = models.JSONField()

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.event_id} ({self.type})"
