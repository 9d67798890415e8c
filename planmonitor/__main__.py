import sys

from planmonitor.cli import main

sys.exit(main())
