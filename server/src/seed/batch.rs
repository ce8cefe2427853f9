//! Multi-row INSERTs with bound parameters: the fast path for seeding millions of rows.

use crate::db::Conn;

/// A value of a seeded row. Nulls carry their column's type: PostgreSQL checks the types of
/// bound parameters against the columns.
pub enum V {
    I(i64),
    B(bool),
    T(String),
    /// NULL in an integer column.
    N,
    /// NULL in a text column.
    NT,
}

impl From<i64> for V {
    fn from(v: i64) -> V {
        V::I(v)
    }
}
impl From<String> for V {
    fn from(v: String) -> V {
        V::T(v)
    }
}
impl From<&str> for V {
    fn from(v: &str) -> V {
        V::T(v.to_string())
    }
}
impl From<bool> for V {
    fn from(v: bool) -> V {
        V::B(v)
    }
}
impl From<Option<i64>> for V {
    fn from(v: Option<i64>) -> V {
        v.map(V::I).unwrap_or(V::N)
    }
}
impl From<Option<String>> for V {
    fn from(v: Option<String>) -> V {
        v.map(V::T).unwrap_or(V::NT)
    }
}
impl From<Option<&str>> for V {
    fn from(v: Option<&str>) -> V {
        v.map(V::from).unwrap_or(V::NT)
    }
}

pub struct Batch {
    prefix: String,
    cols: usize,
    /// Per column, the SQL around its parameter (`{}`), e.g. `to_tsvector('simple', {})`.
    wrap: Vec<Option<&'static str>>,
    rows_per_statement: usize,
    buf: Vec<V>,
}

impl Batch {
    pub fn new(table: &str, columns: &[&str]) -> Batch {
        let cols = columns.len();
        Batch {
            prefix: format!("INSERT INTO {table} ({}) VALUES ", columns.join(", ")),
            cols,
            wrap: vec![None; cols],
            // SQLite allows 32766 parameters per statement, PostgreSQL 65535.
            rows_per_statement: (30_000 / cols).min(400),
            buf: Vec::new(),
        }
    }

    /// Wraps column `index`'s parameter in an SQL expression (`{}` stands for the parameter).
    pub fn wrap(mut self, index: usize, expression: &'static str) -> Batch {
        self.wrap[index] = Some(expression);
        self
    }

    pub async fn push(&mut self, conn: &mut Conn, row: Vec<V>) -> Result<(), sqlx::Error> {
        debug_assert_eq!(row.len(), self.cols);
        self.buf.extend(row);
        if self.buf.len() >= self.rows_per_statement * self.cols {
            self.flush(conn).await?;
        }
        Ok(())
    }

    pub async fn flush(&mut self, conn: &mut Conn) -> Result<(), sqlx::Error> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let rows = self.buf.len() / self.cols;
        let mut sql = self.prefix.clone();
        let mut n = 0;
        for row in 0..rows {
            sql.push_str(if row == 0 { "(" } else { ",(" });
            for col in 0..self.cols {
                n += 1;
                if col > 0 {
                    sql.push(',');
                }
                let param = format!("${n}");
                match self.wrap[col] {
                    Some(expression) => sql.push_str(&expression.replace("{}", &param)),
                    None => sql.push_str(&param),
                }
            }
            sql.push(')');
        }
        let mut query = sqlx::query(&sql);
        for value in self.buf.drain(..) {
            query = match value {
                V::I(n) => query.bind(n),
                V::B(b) => query.bind(b),
                V::T(t) => query.bind(t),
                V::N => query.bind(None::<i64>),
                V::NT => query.bind(None::<String>),
            };
        }
        query.execute(&mut *conn).await?;
        Ok(())
    }
}

/// SplitMix64: tiny, fast and the same on every platform, so seeds reproduce.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    /// Index by weights.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut roll = self.below(total as u64) as u32;
        for (i, w) in weights.iter().enumerate() {
            if roll < *w {
                return i;
            }
            roll -= w;
        }
        weights.len() - 1
    }
}
