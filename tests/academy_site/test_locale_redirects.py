"""Language-neutral URLs answer their own 404s; page addresses typed without
a language prefix are still redirected to it."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/courses/999999/",
        "/api/v2/no-such-endpoint/",
        "/api/v2/courses/x/",
        "/donations/no-such-thing/",
        "/donations/manage/not-a-reference/",
        "/documents/no-such-document/",
    ],
)
def test_language_neutral_404s_are_plain_404s(client, home, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Location" not in response


def test_pages_without_a_language_prefix_are_still_redirected(client, home):
    response = client.get("/no-prefix-page/")
    assert response.status_code == 302
    assert response["Location"] == "/it/no-prefix-page/"
