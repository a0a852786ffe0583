"""Build tools of the archive: seeds/ -> cleaned Markdown pages in docs/ -> MkDocs site."""
