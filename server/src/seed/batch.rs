//! Multi-row INSERTs with bound parameters: the fast path for seeding millions of rows.

use sqlx::SqliteConnection;

pub enum V {
    I(i64),
    T(String),
    N,
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
        V::I(v as i64)
    }
}
impl<T: Into<V>> From<Option<T>> for V {
    fn from(v: Option<T>) -> V {
        v.map(Into::into).unwrap_or(V::N)
    }
}

pub struct Batch {
    prefix: String,
    cols: usize,
    rows_per_statement: usize,
    buf: Vec<V>,
}

impl Batch {
    pub fn new(table: &str, columns: &[&str]) -> Batch {
        let cols = columns.len();
        Batch {
            prefix: format!("INSERT INTO {table} ({}) VALUES ", columns.join(", ")),
            cols,
            // SQLite allows 32766 parameters per statement.
            rows_per_statement: (30_000 / cols).min(400),
            buf: Vec::new(),
        }
    }

    pub async fn push(
        &mut self,
        conn: &mut SqliteConnection,
        row: Vec<V>,
    ) -> Result<(), sqlx::Error> {
        debug_assert_eq!(row.len(), self.cols);
        self.buf.extend(row);
        if self.buf.len() >= self.rows_per_statement * self.cols {
            self.flush(conn).await?;
        }
        Ok(())
    }

    pub async fn flush(&mut self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let rows = self.buf.len() / self.cols;
        let one = format!("({})", vec!["?"; self.cols].join(","));
        let sql = format!("{}{}", self.prefix, vec![one.as_str(); rows].join(","));
        let mut query = sqlx::query(&sql);
        for value in self.buf.drain(..) {
            query = match value {
                V::I(n) => query.bind(n),
                V::T(t) => query.bind(t),
                V::N => query.bind(None::<i64>),
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
