"""`python -m spyglass.cli` runs the `spyglass` command."""

import sys

from . import main

sys.exit(main())
