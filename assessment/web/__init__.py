"""The web side: one blueprint per feature; views parse, call one service, render or redirect."""
