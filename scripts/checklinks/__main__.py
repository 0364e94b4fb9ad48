"""`python -m checklinks`, and so the zipapp dist/check_links.pyz: the command line."""

import sys

from checklinks.cli import main

sys.exit(main())
