"""``python -m qwencloud_skills.emulator``."""

import sys

from .cli import main

sys.exit(main())
