"""Schema checks: compare API schemas and judge what a change does to clients."""
