"""How PostgreSQL runs a statement kept with one plan for all its values
(webapp.database.setup.prepared's one_plan)."""

import re

import psycopg.sql

from webapp.extensions import db


def explain_with_one_plan(statement, values, options="ANALYZE, FORMAT JSON"):
    """EXPLAIN (options) of statement run with values, as PostgreSQL plans it once for any
    values: prepared, then run with plan_cache_mode force_generic_plan. With FORMAT JSON,
    the plan; else the plan's lines."""
    connection = db.session.connection()
    expanded = statement.compile(connection).construct_expanded_state(values)
    names = []  # the statement's parameters, in the order of $1, $2...

    def numbered(match):
        if match[1] not in names:
            names.append(match[1])
        return f"${names.index(match[1]) + 1}"

    sql = re.sub(r"%\((\w+)\)s", numbered, expanded.statement)
    # EXPLAIN takes no parameters: the values are written in, as psycopg quotes them.
    psycopg_connection = connection.connection.dbapi_connection
    arguments = ", ".join(
        psycopg.sql.Literal(expanded.parameters[name]).as_string(psycopg_connection)
        for name in names
    )
    connection.exec_driver_sql("PREPARE with_one_plan AS " + sql)
    connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_generic_plan")
    # Run with (no) parameters, so a % in a value (a search's pattern) is written twice.
    result = connection.exec_driver_sql(
        f"EXPLAIN ({options}) EXECUTE with_one_plan({arguments.replace('%', '%%')})"
    )
    if "FORMAT JSON" in options:
        (plan,) = result.scalar()
    else:
        plan = [row[0] for row in result]
    connection.exec_driver_sql("DEALLOCATE with_one_plan")
    return plan
