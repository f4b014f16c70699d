"""What the network's listings share (the partner directory, the challenge
index, the opportunity index): a plain GET filter form that names the
filters in use, pagination that never fails on a bad page number, and, when
nothing matches, which single filter to remove to find something.

The template side is partners/includes/listing.html."""

from django import forms
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator


class ListingFilterForm(forms.Form):
    """A GET filter form. `defaults` are values that are not a choice the
    visitor made (e.g. "open only"), so they are not listed as filters."""

    defaults = {}

    def active_filters(self):
        """[(field name, value, "Label: value label")] for the filters in use."""
        if not self.is_valid():
            return []
        active = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if value and self.defaults.get(name) != value:
                label = dict(field.choices)[value]
                active.append((name, value, f"{field.label}: {label}"))
        return active

    @property
    def filters(self):
        """The cleaned filters, or none at all if any value is invalid."""
        return self.cleaned_data if self.is_valid() else {}


def paginate(items, request, per_page):
    """The requested page of `items`; the first for a page number that is not
    one, the last for one past the end."""
    paginator = Paginator(items, per_page)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def suggestions(request, form, count):
    """When a filtered listing is empty: for each filter in use, how many
    items removing just that filter would show, with the query string that
    does it. `count(filters)` counts the items matching `filters` (one query
    per active filter, only on an empty result)."""
    found = []
    filters = form.filters
    for name, _value, label in form.active_filters():
        relaxed = {key: value for key, value in filters.items() if key != name}
        number = count(relaxed)
        if number:
            query = request.GET.copy()
            query.pop(name, None)
            query.pop("page", None)
            found.append({"label": label, "count": number, "query": query.urlencode()})
    return found


def listing_context(request, form, items, *, per_page, count=None):
    """The context partners/includes/listing.html reads: `filter_form`,
    `items` (a page), `active_filters` and, for an empty filtered result
    when `count` is given, `suggestions`."""
    page = paginate(items, request, per_page)
    active = form.active_filters()
    found = []
    if count is not None and active and not page.object_list:
        found = suggestions(request, form, count)
    return {
        "filter_form": form,
        "items": page,
        "active_filters": active,
        "suggestions": found,
    }
