"""File uploads whose size limit the page enforces before the browser reads the file.

ipywidgets' FileUpload reads the whole chosen file in the browser and sends it
to the kernel through the websocket; only then can the kernel see that it is
too large.  A wrong 50 MB file would hold a phone and a classroom network for
minutes.  The course template's ``upload_guard.js`` therefore checks each
chosen file's size first and refuses it on the page, reading nothing.  The
limit it checks is written on the upload button by :func:`limited_upload`, as
the class ``course-upload-limit-<bytes>``, from the same constant the kernel
checks again when a file arrives: one number, in one place.
"""
from __future__ import annotations

from typing import Any

import ipywidgets as w

from helpers.content.interchange.files import MAX_BYTES

LIMIT_CLASS_PREFIX = "course-upload-limit-"


def limited_upload(description: str, accept: str, *, max_bytes: int = MAX_BYTES, **options: Any) -> w.FileUpload:
    """A one-file FileUpload whose page refuses files over ``max_bytes`` before reading them."""
    upload = w.FileUpload(description=description, accept=accept, multiple=False, **options)
    upload.add_class(f"{LIMIT_CLASS_PREFIX}{max_bytes}")
    return upload
