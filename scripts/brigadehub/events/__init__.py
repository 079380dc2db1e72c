"""Events: fetched from the platforms over the one HTTP client, kept in snapshots, gathered, rendered as feeds."""
