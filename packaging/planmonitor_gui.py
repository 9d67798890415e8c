"""Bundle entry of the windowed app (PlanMonitor.exe): see planmonitor/frozen.py."""

import sys

from planmonitor.frozen import gui_entry

if __name__ == "__main__":
    sys.exit(gui_entry())
