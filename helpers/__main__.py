"""``python -m helpers …``: the course's command line (see ``helpers.apps.cli``)."""
import sys

from helpers.apps.cli import main

sys.exit(main())
