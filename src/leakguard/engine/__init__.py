"""Matching: keyword prefilter, regex with timeout, secret group, entropy, validators, context."""
