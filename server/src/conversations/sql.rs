//! A tiny builder for WHERE clauses with bound parameters.

#[derive(Clone)]
pub enum Bind {
    Text(String),
    Int(i64),
}

#[derive(Clone, Default)]
pub struct Where {
    pub clauses: Vec<String>,
    pub binds: Vec<Bind>,
}

impl Where {
    pub fn push(&mut self, clause: impl Into<String>, binds: Vec<Bind>) {
        self.clauses.push(clause.into());
        self.binds.extend(binds);
    }
    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            "1=1".into()
        } else {
            self.clauses.join(" AND ")
        }
    }
    pub fn bind<'q>(
        &'q self,
        mut query: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
        for bind in &self.binds {
            query = match bind {
                Bind::Text(text) => query.bind(text.as_str()),
                Bind::Int(n) => query.bind(*n),
            };
        }
        query
    }
}
