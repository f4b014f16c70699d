"""The catalogue: which courses a visitor sees, filtered and sorted."""


def catalogue_context(index_page, request):
    return {}
