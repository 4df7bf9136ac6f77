"""Small helpers every DataHub notebook may import: where course data lives, which hub this is."""

import os

__version__ = "0.1.0"


def hub_name():
    """The hub this server runs on (set in the image by datahub:build-image)."""
    return os.environ.get("DATAHUB_HUB", "unknown")


def course_data(*parts):
    """A path under the shared, read-only course data directory."""
    return os.path.join(os.environ.get("COURSE_DATA", "/srv/data"), *parts)
