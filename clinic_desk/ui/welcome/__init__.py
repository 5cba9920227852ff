"""The first start on a computer with no clinic yet: the welcome screen and its three paths."""
