"""The outbox: every email is a row written with the change that causes it, then delivered.

models.py holds the row and its states, services.py the writes (add, claim, deliver,
sweep, retry, discard), queries.py the reads, transport.py the SMTP or local-folder send.
"""
