"""Small widgets and helpers shared by the pages: labels, the bar chart, the status badge."""
