"""Allow ``python -m neckcare_desktop`` to behave exactly like the ``neckcare`` command."""

import sys

from neckcare_desktop.cli import main

sys.exit(main())
