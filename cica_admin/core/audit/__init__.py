"""The audit log over the history of every model, and the deleted records with their
restore. The admin site wires the pages in (``cica_admin.sites``)."""
