"""Public feeds: a calendar (.ics) and an Atom feed of the public groups' events, for the
site (filtered by a group and a search word, as /events is) and for each public group
(views.py), written by icalendar and feedgen (documents.py), linked from the group's page
and the events list (panels.py). What they show is webapp.open_web.public_events; they
are answered by version (webapp.open_web.public_answers), so a calendar app or feed
reader polling an unchanged feed costs one statement and gets 304.
"""
