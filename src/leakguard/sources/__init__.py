"""Sources turn files, git objects and stdin into chunks; the only stage that reads input."""
