#!/usr/bin/env python3
"""Check every link a reader can click on a MkDocs 1.6 site.

The command line of the checklinks package beside this file, whose docstring
says what is checked and how; `python scripts/check_links.py --help` shows
the options.
"""

import sys

from checklinks.cli import main

if __name__ == "__main__":
    sys.exit(main())
