"""Brand Matrix gateway: a generic GraphQL Federation v2 router."""
