"""The one audit log: who did what to what, and when, for organisers' and admins' actions.

Groups' history pages read it for one group; the admin's audit page reads all of it.
"""
