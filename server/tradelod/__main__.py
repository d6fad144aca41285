"""Allow ``python -m tradelod``."""

import sys

from .cli import main

sys.exit(main())
