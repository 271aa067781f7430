"""One canonical form of an email address, for uniqueness, look-ups and rate-limit keys.

Infrastructure: imports no feature, so rate limits and accounts can both use it.

People (and attackers) can type one mailbox many ways: `Ann@Example.org`,
"ann" in fullwidth letters (U+FF41...), `ann@example。org` (an ideographic full
stop, which IDNA reads as a dot). Mail servers deliver them all to the same place, so
they must count as one address: one account, one rate-limit budget.
"""

import unicodedata

import idna

# Full stops that IDNA treats as the dot between labels (UTS #46 maps them to ".").
# NFKC already turns U+FF0E and U+FF61 into "." and U+3002; U+3002 remains.
_FULL_STOPS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})


def canonical_email(address):
    """The canonical form: NFKC, case-folded, ideographic full stops as dots, and the
    domain mapped by IDNA (UTS #46) and kept in its Unicode form, as email-validator
    stores it. Never raises: rate limiting keys on raw form input too."""
    text = unicodedata.normalize("NFKC", address or "").strip().translate(_FULL_STOPS)
    text = text.casefold()
    local, at, domain = text.rpartition("@")
    if not at:
        return text
    return f"{local}@{_canonical_domain(domain)}"


def _canonical_domain(domain):
    try:
        return idna.decode(idna.encode(domain, uts46=True))
    except (idna.IDNAError, UnicodeError, ValueError):
        # Not a valid domain name (the form refuses it anyway): the folded text will do.
        return domain
