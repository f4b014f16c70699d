"""The course world of tests/courses (two partners, courses to come, one
past, one draft, one private) is the ground of the search tests too."""

from tests.courses.conftest import (  # noqa: F401
    local,
    publish,
    world,
)
