"""Run the brigadehub command as `python -m brigadehub`."""

import sys

from brigadehub.cli import main

sys.exit(main())
