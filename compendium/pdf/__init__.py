"""The PDF: what WeasyPrint may read, page references, finishing (tags, PDF/X, marks) and imposition."""
