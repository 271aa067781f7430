"""Quick measuring data for the speed work, in bulk SQL (the real seeder is `flask seed`).

    DATABASE_URL=postgresql+psycopg://.../hearth_speed_1 python benchmarks/speed_data.py 1

Scale 1: 30,000 users, 1,000 groups with Markdown descriptions, group 1 with every user
(30,000 members), group 2 with 3,000, each user in two more groups. Logs in as
bench@example.org with password Bench-Kettle-42!.
"""

import sys

import sqlalchemy as sa

from webapp import create_app
from webapp.accounts.passwords import hash_password
from webapp.extensions import db
from webapp.markdown import render_markdown

WORDS = [
    "walk",
    "read",
    "cook",
    "knit",
    "paint",
    "sing",
    "climb",
    "cycle",
    "code",
    "garden",
    "chess",
    "photo",
    "film",
    "hike",
    "swim",
]
DESCRIPTIONS = [
    f"# {word.title()} together\n\nWe meet **every week** to {word} and talk. "
    f"Newcomers welcome: see [our notes](https://example.org/{word}).\n\n"
    "- bring a friend\n- bring a snack\n- bring *questions*\n\n" + "More about us. " * 30
    for word in WORDS
]


def fill(scale):
    users, groups = 30_000 * scale, 1_000 * scale
    run = db.session.execute
    run(sa.text("TRUNCATE users, groups RESTART IDENTITY CASCADE"))
    run(
        sa.text(
            "INSERT INTO users (email, email_normalized, first_name, last_name, password_hash,"
            " email_verified_at, created_at) SELECT 'p' || n || '@example.org',"
            " 'p' || n || '@example.org', (ARRAY['Ann','Bob','Cleo','Dev','Eve'])[1 + n % 5],"
            " 'Person' || n, 'x', now(), now() FROM generate_series(1, :users) AS n"
        ),
        {"users": users},
    )
    run(
        sa.text(
            "UPDATE users SET email = 'bench@example.org', email_normalized = 'bench@example.org',"
            " password_hash = :hash WHERE id = 1"
        ),
        {"hash": hash_password("Bench-Kettle-42!")},
    )
    for index, text in enumerate(DESCRIPTIONS):
        run(
            sa.text(
                "INSERT INTO groups (name, slug, description, description_html, visibility,"
                " join_policy, created_at) SELECT initcap(:word) || ' group ' || n,"
                " 'g-' || n, :text, :html,"
                " CASE WHEN n % 5 = 0 THEN 'private' ELSE 'public' END, 'open', now()"
                " FROM generate_series(1, :groups) AS n WHERE n % :kinds = :index"
            ),
            {
                "word": WORDS[index],
                "text": text,
                "html": str(render_markdown(text)),
                "groups": groups,
                "kinds": len(DESCRIPTIONS),
                "index": index,
            },
        )
    # The big group (g-1) has everyone, one in a hundred asking to join; g-2 has 3,000.
    run(
        sa.text(
            "INSERT INTO memberships (group_id, user_id, role, status, created_at)"
            " SELECT (SELECT id FROM groups WHERE slug = 'g-1'), id,"
            " CASE WHEN id = 1 THEN 'owner' ELSE 'member' END,"
            " CASE WHEN id % 100 = 7 THEN 'pending' ELSE 'active' END, now() FROM users;"
            " INSERT INTO memberships (group_id, user_id, role, status, created_at)"
            " SELECT (SELECT id FROM groups WHERE slug = 'g-2'), id,"
            " CASE WHEN id = 1 THEN 'owner' ELSE 'member' END, 'active', now()"
            " FROM users WHERE id <= 3000"
        )
    )
    run(
        sa.text(
            "INSERT INTO memberships (group_id, user_id, role, status, created_at)"
            " SELECT DISTINCT ON (g, u.id) g, u.id, 'member', 'active', now() FROM users u,"
            " LATERAL (VALUES (3 + (u.id * 7) % (:groups - 2)), (3 + (u.id * 13) % (:groups - 2)))"
            " AS pick(g) ON CONFLICT DO NOTHING"
        ),
        {"groups": groups},
    )
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in ("users", "groups", "memberships"):
            connection.exec_driver_sql(f"VACUUM ANALYZE {table}")


if __name__ == "__main__":
    app = create_app()
    with app.app_context():
        fill(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
