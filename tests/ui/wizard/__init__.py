"""Tests of the troubleshooting panel: privacy, focus and feedback, the shortest paths."""
