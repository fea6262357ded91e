"""Pure data: the feature registry, the targets file and the SDK under test. Imports nothing of the
rest of the package, so every layer can depend on it."""
