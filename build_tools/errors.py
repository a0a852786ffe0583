"""Errors that name the file and the problem, one line each."""


class SourceError(Exception):
    """A source or metadata file the build cannot use. str() is the one-line message."""

    def __init__(self, path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

    def __reduce__(self):
        # comes back from a worker process (build.py's pool) as the same one-line error
        return (SourceError, (self.path, self.problem))
