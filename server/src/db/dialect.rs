//! What SQLite and PostgreSQL do differently, in one place. Everything else is shared SQL.

use super::Conn;

/// The database behind a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The transaction-scoped advisory lock every write takes on PostgreSQL (an arbitrary
/// constant: "cvr-writ" in ASCII). See [`Backend::lock_writes`].
const WRITE_LOCK: i64 = 0x6376_722d_7772_6974;
/// The session advisory lock of migrating and seeding ("cvr-init").
pub const STARTUP_LOCK: i64 = 0x6376_722d_696e_6974;
/// The channel replicas LISTEN on for new events.
pub const EVENTS_CHANNEL: &str = "convoroom_events";

impl Backend {
    pub fn of(conn: &Conn) -> Backend {
        if conn.backend_name() == "PostgreSQL" {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }

    /// Serialises writes across every replica of the database: event ids are then handed out in
    /// commit order, so a reader that has seen event `n` has seen every event before it (an
    /// event committed later never carries a lower id). The lock is released at commit,
    /// after the transaction became visible. SQLite has one writer anyway (and one process).
    pub async fn lock_writes(self, conn: &mut Conn) -> Result<(), sqlx::Error> {
        if self == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(WRITE_LOCK)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }

    /// Wakes the event readers of every replica once this transaction commits
    /// (PostgreSQL folds repeated notifications of one transaction into one).
    pub async fn announce_events(self, conn: &mut Conn) -> Result<(), sqlx::Error> {
        if self == Backend::Postgres {
            sqlx::query("SELECT pg_notify($1, '')")
                .bind(EVENTS_CHANNEL)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }

    /// Lets a bulk load insert rows before the rows they reference (checked at commit).
    pub async fn defer_foreign_keys(self, conn: &mut Conn) -> Result<(), sqlx::Error> {
        let sql = match self {
            Backend::Sqlite => "PRAGMA defer_foreign_keys = ON",
            Backend::Postgres => "SET CONSTRAINTS ALL DEFERRED",
        };
        sqlx::query(sql).execute(&mut *conn).await?;
        Ok(())
    }

    /// After rows were inserted with explicit ids: identity columns continue after them.
    pub async fn reset_identities(
        self,
        conn: &mut Conn,
        tables: &[&str],
    ) -> Result<(), sqlx::Error> {
        if self == Backend::Postgres {
            for table in tables {
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                ))
                .execute(&mut *conn)
                .await?;
            }
        }
        Ok(())
    }

    /// A unary `+` on SQLite, which keeps its planner from driving a query by that term (it
    /// walks the sort index instead); nothing on PostgreSQL, whose planner needs no hint.
    pub fn not_driving(self) -> &'static str {
        match self {
            Backend::Sqlite => "+",
            Backend::Postgres => "",
        }
    }

    /// `column IN (set)` tested row by row while walking the sort index, instead of joining
    /// the set and sorting the result: for a large set (a common word, a common label) the
    /// first page is found after a few hundred rows. SQLite: the unary `+`. PostgreSQL: an
    /// `IN` under `OR` is not turned into a join but into a hash of the set probed per row.
    pub fn probe(self, column: &str, set: &str) -> String {
        match self {
            Backend::Sqlite => format!("+{column} IN ({set})"),
            Backend::Postgres => format!("({column} IN ({set}) OR FALSE)"),
        }
    }

    /// `column IN (set)` for a small set: the set looked up first, its rows fetched by primary
    /// key and sorted. SQLite plans `IN` that way. PostgreSQL may instead walk the sort index
    /// and test each row against the set (it expects to meet matches early), which for a set of
    /// a few thousand scattered rows visits far more; `= ANY(ARRAY(…))` evaluates the set once,
    /// as an init plan, and fetches its rows by key.
    pub fn look_up(self, column: &str, set: &str) -> String {
        match self {
            Backend::Sqlite => format!("{column} IN ({set})"),
            Backend::Postgres => format!("{column} = ANY(ARRAY({set}))"),
        }
    }

    /// Aggregates ids into one text value: a JSON array on SQLite, an array literal on
    /// PostgreSQL (empty: `[]`, `{}`).
    pub fn id_array_agg(self, column: &str) -> String {
        match self {
            Backend::Sqlite => format!("json_group_array({column})"),
            Backend::Postgres => format!("COALESCE(CAST(array_agg({column}) AS TEXT), '{{}}')"),
        }
    }

    /// The ids of such a text value, bound as `param`, as a one-column set.
    pub fn id_array(self, param: &str) -> String {
        match self {
            Backend::Sqlite => format!("SELECT value FROM json_each({param})"),
            Backend::Postgres => format!("SELECT unnest(CAST({param} AS BIGINT[]))"),
        }
    }

    /// `INDEXED BY index` on SQLite; PostgreSQL picks its index itself.
    pub fn indexed_by(self, index: &str) -> String {
        match self {
            Backend::Sqlite => format!("INDEXED BY {index}"),
            Backend::Postgres => String::new(),
        }
    }

    /// The larger of two values.
    pub fn greatest(self, a: &str, b: &str) -> String {
        match self {
            Backend::Sqlite => format!("MAX({a}, {b})"),
            Backend::Postgres => format!("GREATEST({a}, {b})"),
        }
    }

    /// A custom attribute's value in an attributes column, as text (booleans `true`/`false`),
    /// and the parameters it takes for `key`, in order.
    pub fn attribute_text(self, column: &str, key: &str) -> (String, Vec<String>) {
        match self {
            Backend::Sqlite => {
                let path = format!("$.\"{key}\".value");
                (
                    format!(
                        "CASE json_type({column}, ?) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' \
                         ELSE CAST(json_extract({column}, ?) AS TEXT) END"
                    ),
                    vec![path.clone(), path],
                )
            }
            Backend::Postgres => (
                format!("(({column})::jsonb -> ? ->> 'value')"),
                vec![key.to_string()],
            ),
        }
    }

    /// A top-level string field of a JSON text column.
    pub fn json_field(self, column: &str, field: &str) -> String {
        match self {
            Backend::Sqlite => format!("json_extract({column}, '$.{field}')"),
            Backend::Postgres => format!("(({column})::jsonb ->> '{field}')"),
        }
    }
}
