"""The group's subgraphs (Strawberry Federation v2 on SQLModel)."""
