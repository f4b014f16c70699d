"""Courses: the catalogue page, course pages, their dated sessions, topics
and venues. One module per concept, re-exported here."""

from .bookings import (
    Participant,
    SessionAttendance,
    Signup,
    SignupQuestion,
    SignupReminder,
    SignupStatus,
)
from .pages import CourseIndexPage, CoursePage
from .sessions import CourseSession
from .snippets import Topic, Venue

__all__ = [
    "CourseIndexPage",
    "CoursePage",
    "CourseSession",
    "Participant",
    "SessionAttendance",
    "Signup",
    "SignupQuestion",
    "SignupReminder",
    "SignupStatus",
    "Topic",
    "Venue",
]
