//! A tiny builder for WHERE clauses with bound parameters: clauses mark each parameter `?`,
//! numbered `$1`, `$2`… in order when the SQL is rendered.

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
    /// The clauses joined by AND, parameters numbered from `$1`.
    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            return "1=1".into();
        }
        let mut out = String::new();
        let mut n = 0;
        for (i, clause) in self.clauses.iter().enumerate() {
            if i > 0 {
                out.push_str(" AND ");
            }
            for ch in clause.chars() {
                if ch == '?' {
                    n += 1;
                    out.push_str(&format!("${n}"));
                } else {
                    out.push(ch);
                }
            }
        }
        out
    }
    pub fn bind<'q>(
        &'q self,
        mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        for bind in &self.binds {
            query = match bind {
                Bind::Text(text) => query.bind(text.as_str()),
                Bind::Int(n) => query.bind(*n),
            };
        }
        query
    }
}
