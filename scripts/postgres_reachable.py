"""Exit 0 when the PostgreSQL server at the given URL answers, 1 otherwise (and say why)."""

import sys

import psycopg


def main() -> int:
    url = sys.argv[1]
    try:
        with psycopg.connect(url, connect_timeout=5) as connection:
            connection.execute("select 1")
    except psycopg.Error as error:
        print(f"PostgreSQL unreachable at {url}: {error}".strip(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
