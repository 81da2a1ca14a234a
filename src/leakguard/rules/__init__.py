"""Rule schema, compilation and loading."""
