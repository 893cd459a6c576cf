"""Format readers: turn files into :class:`custfocus.document.Document` objects."""
