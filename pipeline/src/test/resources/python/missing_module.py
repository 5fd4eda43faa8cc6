"""Test script for PythonReference: stops on an import no machine has."""
import nautilus_no_such_module  # noqa: F401
