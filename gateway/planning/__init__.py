"""Operation -> query plan."""
