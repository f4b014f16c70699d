"""Who may see donors' personal data: superusers and the "Academy staff"
group, nobody else (not partners, not other editors)."""

ACADEMY_STAFF_GROUP = "Academy staff"


def can_see_donations(user):
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=ACADEMY_STAFF_GROUP).exists()
