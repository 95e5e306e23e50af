"""What a workspace is for (design.md, "The reporting chain"): a country office keeps its own records; a
regional coordinator merges its offices' bundles and relays them upward; headquarters merges everything
and composes the entity's letter. Chosen at creation, kept in `meta`."""

ROLES = ("office", "region", "headquarters")
