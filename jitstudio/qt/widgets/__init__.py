"""Reusable widgets: the code editor, the toggle switch, the JSON payload editor, the form rows."""
