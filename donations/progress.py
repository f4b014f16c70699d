"""The fund's progress: endowment + match + gifts received (net of refunds
and of disputes lost), against the goal, with the number of donors and,
when a sponsor matches gifts, the matched amount shown apart. The sums from
the database are cached per fund and forgotten when a payment lands, is
refunded or is disputed."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, IntegerField, Subquery, Sum
from django.utils import timezone

from .models import Donation, DonationPage, Payment

CACHE_SECONDS = 60 * 60


def _key(fund):
    return f"donations:progress:{fund}"


def forget(fund):
    cache.delete(_key(fund))


def _sums(fund):
    cached = cache.get(_key(fund))
    if cached is not None:
        return cached
    sums = _read_sums(fund)
    cache.set(_key(fund), sums, CACHE_SECONDS)
    return sums


def _read_sums(fund):
    """The fund's net gifts per day (for the matching campaign's end date),
    their total and the number of donors, in one query: the donors, counted
    over the whole fund, come along on every day's row as a subquery that
    depends on nothing in the row (the database works it out once)."""
    net = Payment.net_expression()
    donors = (
        Donation.objects.filter(fund=fund)
        .counted()
        .order_by()
        .values("fund")
        .annotate(n=Count("email", distinct=True))
        .values("n")
    )
    days = (
        Payment.objects.filter(donation__fund=fund)
        .values("paid_at__date")
        .annotate(total=Sum(net), donors=Subquery(donors, output_field=IntegerField()))
        .order_by("paid_at__date")
    )
    sums = {"gifts_cents": 0, "donors": 0, "by_day": {}}
    for row in days:
        sums["by_day"][row["paid_at__date"].isoformat()] = row["total"] or 0
        sums["gifts_cents"] += row["total"] or 0
        sums["donors"] = row["donors"] or 0
    return sums


@dataclass
class Progress:
    goal_cents: int
    endowment_cents: int
    match_cents: int
    gifts_cents: int
    campaign_cents: int
    donors: int

    @property
    def total_cents(self):
        return self.endowment_cents + self.match_cents + self.gifts_cents + self.campaign_cents

    @property
    def percent(self):
        if not self.goal_cents:
            return 100
        return min(100, int(self.total_cents * 100 / self.goal_cents))

    def _share(self, cents):
        if not self.goal_cents:
            return 0
        return round(min(cents, self.goal_cents) * 100 / self.goal_cents, 1)

    @property
    def base_percent(self):
        return self._share(self.endowment_cents + self.match_cents)

    @property
    def gifts_percent(self):
        return max(0, min(100 - self.base_percent, self._share(self.gifts_cents)))

    @property
    def campaign_percent(self):
        used = self.base_percent + self.gifts_percent
        return max(0, min(100 - used, self._share(self.campaign_cents)))

    @property
    def campaign_offset(self):
        """Where the campaign's segment starts on the bar (after the gifts)."""
        return self.base_percent + self.gifts_percent

    @staticmethod
    def euros(cents):
        return Decimal(cents) / 100

    @property
    def total(self):
        return self.euros(self.total_cents)

    @property
    def goal(self):
        return self.euros(self.goal_cents)

    @property
    def gifts(self):
        return self.euros(self.gifts_cents)

    @property
    def campaign(self):
        return self.euros(self.campaign_cents)


def matched_cents(page, by_day):
    """What the sponsor adds: gifts up to the end date × multiplier, up to the cap."""
    if not page.campaign_sponsor or not page.campaign_cap_eur or page.campaign_multiplier <= 0:
        return 0
    end = page.campaign_ends_on.isoformat() if page.campaign_ends_on else None
    eligible = sum(total for day, total in by_day.items() if end is None or day <= end)
    matched = int(Decimal(eligible) * page.campaign_multiplier)
    return min(matched, page.campaign_cap_eur * 100)


def fund_pages(locale):
    """The live, public donation pages in `locale`, first in the tree first
    (the home page shows the first)."""
    return DonationPage.objects.live().public().filter(locale=locale).order_by("path")


def for_page(page):
    sums = _sums(page.fund_key)
    return Progress(
        goal_cents=page.goal_eur * 100,
        endowment_cents=page.endowment_eur * 100,
        match_cents=page.match_eur * 100,
        gifts_cents=sums["gifts_cents"],
        campaign_cents=matched_cents(page, sums["by_day"]),
        donors=sums["donors"],
    )


def campaign_open(page, today=None):
    today = today or timezone.localdate()
    return bool(page.campaign_sponsor) and (
        page.campaign_ends_on is None or page.campaign_ends_on >= today
    )
