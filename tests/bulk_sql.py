"""A PostgreSQL clinic filled by the server itself (INSERT ... SELECT generate_series), never analysed.

As after a bulk load on a server whose autovacuum has not come round yet: the planner has
no statistics at all. Every third chart has two emails (the first with a link), one chart
in seven shares its email with the chart just before it, and sign-ins under unknown
usernames are spread over the emails.
"""

from __future__ import annotations

from sqlalchemy import Engine, text

SHARE_GAP = 1
_TABLES = ("patients", "portal_accounts", "portal_tokens", "outbox_emails", "portal_events")


def fill_without_statistics(engine: Engine, patients: int) -> None:
    """Add ``patients`` charts (ids 1..patients) and their links, emails and events; no ANALYZE."""
    with engine.begin() as connection:
        for table in _TABLES:  # the server's autovacuum is off; this keeps it so for these tables anyway
            connection.execute(text(f"ALTER TABLE {table} SET (autovacuum_enabled = false)"))
        connection.execute(
            text(
                """
                INSERT INTO patients (id, mrn, first_name, last_name, date_of_birth, email, first_key,
                    last_key, email_key, status, created_via, created_at, updated_at, version)
                SELECT g, 'B' || g, 'First' || g, 'Last' || (g % 5000), date '1950-01-01' + (g % 20000),
                    e, 'first' || g, 'last' || (g % 5000), e, 'active', 'staff', now(), now(), 1
                FROM generate_series(1, :n) AS g,
                    LATERAL (SELECT 'p' || CASE WHEN g % 7 = 0 AND g > :gap THEN g - :gap ELSE g END
                             || '@example.com' AS e) AS mail
                """
            ),
            {"n": patients, "gap": SHARE_GAP},
        )
        connection.execute(
            text(
                """
                INSERT INTO portal_accounts (patient_id, access_enabled, access_off_reason, username,
                    username_key, must_change_password, login_count, failed_logins, version)
                SELECT g, false, 'not_enabled', 'user' || g, 'user' || g, false, 0, 0, 1
                FROM generate_series(1, :n) AS g
                """
            ),
            {"n": patients},
        )
        connection.execute(
            text(
                """
                INSERT INTO portal_tokens (id, patient_id, kind, token_hash, sent_to, created_at, expires_at)
                SELECT g, g, 'invitation', md5(g::text), 'p' || g || '@example.com', now(),
                    now() + interval '7 days'
                FROM generate_series(3, :n, 3) AS g
                """
            ),
            {"n": patients},
        )
        connection.execute(
            text(
                """
                INSERT INTO outbox_emails (patient_id, token_id, kind, to_address, subject, body_text,
                    message_id, status, attempts, next_attempt_at, queued_at, sent_at)
                SELECT g, CASE WHEN k = 1 THEN g END, 'invitation', 'p' || g || '@example.com', 'Hello',
                    'Hello', '<' || g || '.' || k || '@bench>', 'sent', 1, now(), now(), now()
                FROM generate_series(3, :n, 3) AS g, generate_series(1, 2) AS k
                """
            ),
            {"n": patients},
        )
        connection.execute(
            text(
                """
                INSERT INTO portal_events (at, kind, typed_key, source)
                SELECT now(), 'sign_in_unknown_username', 'p' || (g * 11 % :n) || '@example.com', 'bench'
                FROM generate_series(1, :n / 10) AS g
                """
            ),
            {"n": patients},
        )


def never_analysed(engine: Engine) -> bool:
    """True when no table of the open has statistics (no ANALYZE, no autovacuum ran)."""
    with engine.connect() as connection:
        analysed = connection.execute(
            text(
                "SELECT count(*) FROM pg_stat_user_tables WHERE relname = ANY(:tables) AND "
                "(last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL)"
            ),
            {"tables": list(_TABLES)},
        ).scalar_one()
        stats = connection.execute(
            text("SELECT count(*) FROM pg_stats WHERE tablename = ANY(:tables)"), {"tables": list(_TABLES)}
        ).scalar_one()
    return bool(analysed == 0 and stats == 0)
