"""The Data tab of model pages: rows from the app's runtime process, written through the app's data API."""
