"""Test-session settings shared by unit tests and nbval.

nbval's kernels inherit this process's environment, so pointing the course's
data folder at a temporary directory here keeps notebook runs away from a
trainee's real data.
"""
import os
import tempfile

os.environ.setdefault("COURSE_DATA_DIR", tempfile.mkdtemp(prefix="course-test-data-"))

# Property tests run on two shared cores in CI: a per-example deadline measures
# the machine's load, not our code, so it is switched off.
from hypothesis import settings  # noqa: E402

settings.register_profile("course", deadline=None)
settings.load_profile("course")
