"""Portal emails from the desk: the in-app sender and the window's mail tools."""
