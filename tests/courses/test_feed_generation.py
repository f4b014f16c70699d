"""The feeds' generations move on a change and again when its transaction
commits: a feed built in between read the old data and must not stay cached."""

import pytest

from django.db import transaction

from courses import feeds

from .factories import VenueFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("personal", [False, True])
def test_a_change_moves_the_generation_again_when_it_commits(personal):
    before = feeds.generation(personal)[0]
    with transaction.atomic():
        if personal:
            feeds.bump_personal_generation()
        else:
            VenueFactory()
            VenueFactory()
        at_change = feeds.generation(personal)[0]
        assert at_change != before  # at once
        in_between = feeds.generation(personal)[0]
    assert feeds.generation(personal)[0] not in {before, in_between}


def test_outside_a_transaction_a_change_moves_it_once():
    before = feeds.generation()[0]
    VenueFactory()
    assert feeds.generation()[0] != before
    assert not transaction.get_connection().run_on_commit
