"""Where applicants' attachments are kept: a folder outside MEDIA_ROOT with
no public URL. Files are read only by permission-checked admin views."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """FileSystemStorage at settings.PRIVATE_MEDIA_ROOT, read at every use
    (tests point it at a temporary folder), and without any URL."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no public URL; use the admin download view.")


_storage = PrivateStorage()


def private_storage():
    """Callable given to FileField(storage=...), so migrations name it."""
    return _storage
