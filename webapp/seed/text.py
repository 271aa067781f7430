"""Made-up names and Markdown, drawn from a seeded generator so every run writes the same."""

FIRST_NAMES = (
    "Ada",
    "Ben",
    "Cleo",
    "Dev",
    "Ema",
    "Femi",
    "Gus",
    "Hana",
    "Ivo",
    "Jia",
    "Kai",
    "Lena",
    "Milo",
    "Nia",
    "Omar",
    "Pia",
    "Quinn",
    "Rosa",
    "Sami",
    "Tariq",
    "Uma",
    "Vera",
    "Wes",
    "Xia",
    "Yara",
    "Zane",
    "Alba",
    "Bruno",
    "Chloe",
    "Dara",
    "Elio",
    "Faye",
    "Goran",
    "Ines",
    "Jonas",
    "Kira",
)
LAST_NAMES = (
    "Abara",
    "Berg",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fontaine",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rossi",
    "Santos",
    "Tanaka",
    "Ueda",
    "Varga",
    "Weber",
    "Yilmaz",
    "Zhang",
)
PLACES = (
    "Riverside",
    "Hillside",
    "Old Town",
    "Harbour",
    "Northgate",
    "Eastfield",
    "Westbrook",
    "Southbank",
    "Millbrook",
    "Greenway",
    "Canal Street",
    "Market Square",
    "Station Road",
    "Orchard Lane",
    "Stonebridge",
)
TOPICS = (
    "Garden Club",
    "Chess Circle",
    "Cycling Group",
    "Book Club",
    "Repair Café",
    "Choir",
    "Running Crew",
    "Board Games",
    "Community Kitchen",
    "Photography Walks",
    "Language Exchange",
    "Parents' Network",
    "Climate Action",
    "Makers' Space",
    "Allotment Society",
    "Film Night",
)
ACTIVITIES = (
    "meet every other week",
    "share tools, seeds and advice",
    "welcome beginners and old hands alike",
    "plan a few outings each season",
    "keep a shared calendar of what is on",
    "swap books, recipes and stories",
    "look after the community garden together",
    "raise a little money for local causes",
)
THINGS = (
    "a warm drink",
    "your questions",
    "a friend",
    "something to share",
    "comfortable shoes",
    "an open mind",
)

# Polls: a question with its options, or a date poll's question.
POLL_QUESTIONS = (
    ("Where do we meet next time?", ("Town Hall", "Library", "Park Café", "Someone's garden")),
    ("What shall we bring?", ("Snacks", "Drinks", "Board games", "Music", "Just ourselves")),
    ("Which evening suits you best?", ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")),
    ("What should we try next season?", ("A repair day", "A picnic", "A quiz", "A long walk")),
    ("How often should we meet?", ("Every week", "Every other week", "Once a month")),
)
DATE_POLL_QUESTIONS = ("When shall we meet?", "Which date works for you?", "When suits everyone?")
POLL_DESCRIPTIONS = (
    "",
    "",
    "The option with the **most votes** wins; the organisers settle a tie.",
    "You can change your vote until the poll closes. _Thank you for answering!_",
)


def person_name(rng):
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def group_name(rng):
    return f"{rng.choice(PLACES)} {rng.choice(TOPICS)}"


def description(rng, name):
    """A few paragraphs of Markdown with emphasis, a link and a list, as organisers write."""
    paragraphs = [
        f"Welcome to **{name}**! We {rng.choice(ACTIVITIES)} and {rng.choice(ACTIVITIES)}.",
        " ".join(
            f"Most of us {rng.choice(ACTIVITIES)}, and some {rng.choice(ACTIVITIES)}."
            for _ in range(rng.randint(2, 4))
        ),
        "What to bring:\n\n"
        + "\n".join(f"- {rng.choice(THINGS)}" for _ in range(rng.randint(2, 5))),
        f"Read [our notes](https://example.org/notes/{rng.randint(1, 999)}) before your first "
        f"visit, and say hello to an organiser. _Everyone is welcome._",
    ]
    if rng.random() < 0.5:
        paragraphs.insert(
            2,
            "1. Sign up here\n2. Come along to a meeting\n3. Tell us what you would like to do",
        )
    return "\n\n".join(paragraphs)
