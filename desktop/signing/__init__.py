"""PDF signatures: identities (PKCS#12 or one kept in the workspace), PAdES B-B signing with pyHanko,
verification, and the workspace's trusted certificates."""
