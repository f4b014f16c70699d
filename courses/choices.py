"""Fixed lists used by courses, sessions and the catalogue filters."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Blended (in person and online)")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
    FULL = "full", _("Full")


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner: no experience needed")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class SignupMode(models.TextChoices):
    SERIES = "series", _("One sign-up covers the whole series of sessions")
    PER_SESSION = "per_session", _("People sign up for each session separately")


class TaughtLanguage(models.TextChoices):
    """Languages a course is taught in (ISO 639-1 codes)."""

    ITALIAN = "it", _("Italian")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    ARABIC = "ar", _("Arabic")
    ROMANIAN = "ro", _("Romanian")
    UKRAINIAN = "uk", _("Ukrainian")
    CHINESE = "zh", _("Chinese")


class Certificate(models.TextChoices):
    NONE = "none", _("No certificate")
    ATTENDANCE = "attendance", _("Certificate of attendance")
    SKILLS = "skills", _("Certification of skills")
    QUALIFICATION = "qualification", _("Recognised qualification or licence")


class When(models.TextChoices):
    """Ready-made date ranges of the catalogue filter. The values "week" and
    "month" are kept so that old links still work; they mean today and the
    six (29) days after it: a calendar week or month would shrink to Sunday
    alone on a Sunday, to one day on the 31st."""

    WEEK = "week", _("Next 7 days")
    MONTH = "month", _("Next 30 days")


class TopicIcon(models.TextChoices):
    """Icons for topics; each maps to a symbol drawn by the templates."""

    NEEDLE = "needle", _("Needle and thread")
    WRENCH = "wrench", _("Wrench")
    FLAME = "flame", _("Flame (welding)")
    COOKING = "cooking", _("Cooking pot")
    COMPUTER = "computer", _("Computer")
    SPEECH = "speech", _("Speech bubble (languages)")
    HEART = "heart", _("Heart (care)")
    TRUCK = "truck", _("Truck (logistics)")
    LEAF = "leaf", _("Leaf (green jobs)")
    BRIEFCASE = "briefcase", _("Briefcase (job search)")
    SHOP = "shop", _("Shop (retail and enterprise)")
    BOOK = "book", _("Book")


# The symbol shown for each icon: plain Unicode, so it needs no icon font.
TOPIC_SYMBOLS = {
    TopicIcon.NEEDLE: "✂",
    TopicIcon.WRENCH: "⚙",
    TopicIcon.FLAME: "✹",
    TopicIcon.COOKING: "♨",
    TopicIcon.COMPUTER: "⌨",
    TopicIcon.SPEECH: "✎",
    TopicIcon.HEART: "♥",
    TopicIcon.TRUCK: "⇄",
    TopicIcon.LEAF: "❦",
    TopicIcon.BRIEFCASE: "✉",
    TopicIcon.SHOP: "⌂",
    TopicIcon.BOOK: "☰",
}
