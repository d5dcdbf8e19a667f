"""The GraphQL layer: thin Strawberry types and operations that call resolvers."""
