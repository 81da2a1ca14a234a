"""leakguard: classify repository content and find leaked secrets in files and git history."""

__version__ = "0.1.0"
