"""Run the brigadehub command as `python -m brigadehub`."""

import sys

from .cli import main

sys.exit(main())
