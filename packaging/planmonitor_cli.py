"""Bundle entry of the console command line (planmonitor-cli.exe): see planmonitor/frozen.py."""

import sys

from planmonitor.frozen import cli_entry

if __name__ == "__main__":
    sys.exit(cli_entry())
