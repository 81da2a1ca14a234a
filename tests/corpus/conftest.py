"""The precision corpus is data to scan, not tests to run: keep pytest out of it."""

collect_ignore_glob = ["precision/*"]
