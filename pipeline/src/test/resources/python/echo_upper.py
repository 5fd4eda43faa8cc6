"""Test script for PythonReference: prints its stdin in upper case."""
import sys

sys.stdout.write(sys.stdin.read().upper())
