"""Month names in Italian dates are written in lower case ("20 gennaio
2026", "martedì 8 dicembre"); Django's own Italian catalogue capitalises
them ("20 Gennaio 2026") in every date the site, its e-mails and the admin
show. The project's catalogue (locale/it), which Django reads before its
own, gives them in lower case. Nothing imports this module: its marks keep
those entries in the catalogue when `make messages` rebuilds it with
`--no-obsolete`. Weekdays stay as Django writes them: they often open a
line ("Lunedì 7 dicembre")."""

from django.utils.translation import gettext_noop, pgettext_lazy

MONTHS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]
# Django's "E" date format (the month in a full date).
MONTHS_IN_A_DATE = [
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
]
