"""Polls: questions a group (or one of its events) decides by voting, with live results."""
