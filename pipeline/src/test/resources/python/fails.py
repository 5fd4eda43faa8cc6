"""Test script for PythonReference: fails for a reason other than an import."""
import sys

sys.exit("broken reference")
