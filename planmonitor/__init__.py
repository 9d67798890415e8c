"""Plan Monitor: offline workbook for the Follow-up Plan for Human Rights and the Rule of Law."""

__version__ = "0.1.0"
APP_NAME = "PlanMonitor"
