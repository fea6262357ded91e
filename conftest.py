"""Nothing to load: the conformance plugin and the suites' fixtures come with the installed
package, through its ``pytest11`` entry point (conformance/pytest_entry.py)."""
