"""The domain: plain async functions over an explicit session. No GraphQL here."""
