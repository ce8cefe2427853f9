//! The deterministic demo-data generator: same options, same data.

mod after_conversation;
mod all;
mod batch;
mod canned;
mod conversations;
pub mod data;
mod fields;
mod thread;

use crate::db::{Backend, Conn, Pool};
use crate::search::index;
use batch::{Batch, Rng, V};
use sqlx::Connection;
use time::OffsetDateTime;

#[derive(Debug, Clone)]
pub struct SeedOptions {
    pub conversations: u32,
    pub messages: u64,
    pub long_conversation: u32,
    pub seed: u64,
    /// The "now" of the demo timeline; every generated time is at or before it.
    pub anchor: OffsetDateTime,
}

pub const DEMO_PASSWORD: &str = "demo1234";

/// (name, email, role, team indexes)
pub const AGENTS: [(&str, &str, &str, &[i64]); 5] = [
    ("Maya Patel", "maya@example.com", "admin", &[1, 2, 3]),
    ("Jonas Weber", "jonas@example.com", "agent", &[1]),
    ("Aiko Tanaka", "aiko@example.com", "agent", &[2]),
    ("Luis Romero", "luis@example.com", "agent", &[3]),
    ("Priya Shah", "priya@example.com", "agent", &[1, 2]),
];
pub const TEAMS: [&str; 3] = ["Support", "Sales", "Billing"];

pub fn ms_ts(millis: i64) -> String {
    crate::util::ts(
        OffsetDateTime::from_unix_timestamp_nanos(millis as i128 * 1_000_000)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH),
    )
}

pub async fn seed(pool: &Pool, options: &SeedOptions) -> Result<(), sqlx::Error> {
    let started = std::time::Instant::now();
    let hashes = tokio::task::spawn_blocking(|| {
        AGENTS
            .iter()
            .map(|_| crate::auth::hash_password(DEMO_PASSWORD))
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    let mut conn = pool.acquire().await?;
    let backend = Backend::of(&conn);
    let mut tx = conn.begin().await?;
    // Batches flush in any order (messages before their conversation); check at commit.
    backend.defer_foreign_keys(&mut tx).await?;
    base(&mut tx, &hashes).await?;
    let mut rng = Rng::new(options.seed);
    let contacts = contacts(&mut tx, &mut rng, options).await?;
    all::generate(&mut tx, &mut rng, options, &contacts).await?;
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "demo rows inserted; building search index"
    );
    match backend {
        Backend::Sqlite => {
            sqlx::query(index::SQLITE_REBUILD_SQL)
                .execute(&mut *tx)
                .await?;
        }
        // The words were written with the messages and contacts; now the indexed rows.
        Backend::Postgres => {
            sqlx::raw_sql(index::POSTGRES_INDEX_SEEDED_SQL)
                .execute(&mut *tx)
                .await?;
        }
    }
    after_conversation::resolved_sessions(&mut tx).await?;
    // The rows came with their ids; what the server inserts next continues after them.
    backend
        .reset_identities(
            &mut tx,
            &[
                "teams",
                "agents",
                "contacts",
                "conversations",
                "conversation_sessions",
                "messages",
            ],
        )
        .await?;
    // Batches flush in any order, so the label-count triggers may have missed rows.
    sqlx::raw_sql(crate::conversations::counts::REBUILD_LABEL_COUNTS_SQL)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    // Statistics for the planner (PostgreSQL also needs the dead rows of the count tables'
    // trigger updates cleared, and its visibility map for index-only scans).
    // The count tables were updated once per seeded row: rewritten to their few live rows.
    // (One statement each: VACUUM cannot run in the transaction of a multi-statement query.)
    let maintenance: &[&str] = match backend {
        Backend::Sqlite => &["ANALYZE"],
        Backend::Postgres => &[
            "VACUUM FULL conversation_counts, conversation_label_counts",
            "VACUUM ANALYZE",
        ],
    };
    for statement in maintenance {
        sqlx::raw_sql(statement).execute(pool).await?;
    }
    tracing::info!(
        conversations = options.conversations,
        messages = options.messages,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "seeded demo data"
    );
    Ok(())
}

async fn base(conn: &mut Conn, hashes: &[String]) -> Result<(), sqlx::Error> {
    for (i, team) in TEAMS.iter().enumerate() {
        sqlx::query("INSERT INTO teams (id, name) VALUES ($1, $2)")
            .bind(i as i64 + 1)
            .bind(team)
            .execute(&mut *conn)
            .await?;
    }
    for (i, (name, email, role, teams)) in AGENTS.iter().enumerate() {
        let id = i as i64 + 1;
        let availability = ["online", "online", "away", "offline", "online"][i];
        sqlx::query("INSERT INTO agents (id, name, email, password_hash, role, availability) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id)
            .bind(name)
            .bind(email)
            .bind(&hashes[i])
            .bind(role)
            .bind(availability)
            .execute(&mut *conn)
            .await?;
        for team in *teams {
            sqlx::query("INSERT INTO agent_teams (agent_id, team_id) VALUES ($1, $2)")
                .bind(id)
                .bind(team)
                .execute(&mut *conn)
                .await?;
        }
    }
    views(conn).await?;
    canned::responses(conn).await?;
    after_conversation::settings(conn).await?;
    let mut labels: Vec<(&str, &str, &str)> = vec![
        ("refund request", "#ea580c", "Customer asked for money back"),
        ("vip", "#9333ea", "High-value customer"),
    ];
    for extra in data::EXTRA_LABELS {
        if !labels.iter().any(|(n, _, _)| n == extra) {
            labels.push((extra, crate::labels::label_color(extra), ""));
        }
    }
    for (name, color, description) in labels {
        sqlx::query("INSERT INTO labels (name, color, description) VALUES ($1, $2, $3)")
            .bind(name)
            .bind(color)
            .bind(description)
            .execute(&mut *conn)
            .await?;
    }
    let reasons: Vec<&str> = data::TOPICS.iter().map(|t| t.reason).collect();
    let definitions: Vec<(&str, &str, &str, &str, String)> = vec![
        ("contact", "gender", "Gender", "text", "[]".into()),
        ("contact", "hometown", "Hometown", "text", "[]".into()),
        (
            "contact",
            "plan",
            "Plan",
            "list",
            serde_json::to_string(data::PLANS).unwrap_or_default(),
        ),
        ("contact", "signup_date", "Signup date", "date", "[]".into()),
        (
            "contact",
            "lifetime_value",
            "Lifetime value",
            "number",
            "[]".into(),
        ),
        (
            "contact",
            "newsletter",
            "Newsletter",
            "boolean",
            "[]".into(),
        ),
        ("contact", "profile", "Profile", "link", "[]".into()),
        (
            "conversation",
            "reason",
            "Reason",
            "list",
            serde_json::to_string(&reasons).unwrap_or_default(),
        ),
        ("conversation", "product", "Product", "text", "[]".into()),
        (
            "conversation",
            "order_number",
            "Order number",
            "text",
            "[]".into(),
        ),
    ];
    for (at, (applies_to, key, name, kind, options)) in definitions.iter().enumerate() {
        // Positions count within each kind of record, from 0.
        let position = definitions[..at]
            .iter()
            .filter(|d| d.0 == *applies_to)
            .count();
        sqlx::query("INSERT INTO attribute_definitions (applies_to, key, name, kind, options, position) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(*applies_to)
            .bind(*key)
            .bind(*name)
            .bind(*kind)
            .bind(options.as_str())
            .bind(position as i64)
            .execute(&mut *conn)
            .await?;
    }
    // Money is never negative. A literal: an optional float bound through the Any driver was
    // refused by PostgreSQL (22P03).
    sqlx::query("UPDATE attribute_definitions SET minimum = 0 WHERE key = 'lifetime_value'")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Two saved views per agent, so table mode has something to show on a first run.
async fn views(conn: &mut Conn) -> Result<(), sqlx::Error> {
    use convoroom_api::{Channel, ConversationFilter, SortOrder, ViewColumn as C};
    let calls = ConversationFilter {
        channel: Some(Channel::Voice),
        sort: Some(SortOrder::Newest),
        ..Default::default()
    };
    let refunds = ConversationFilter {
        label: Some("refund request".into()),
        ..Default::default()
    };
    let views = [
        (
            "Call log",
            calls,
            vec![
                C::ConversationId,
                C::CustomerName,
                C::CreatedAt,
                C::Agent,
                C::Direction,
                C::State,
                C::Disposition,
                C::HangupSource,
                C::Csat,
            ],
        ),
        (
            "Refund requests",
            refunds,
            vec![
                C::ConversationId,
                C::CustomerName,
                C::Channel,
                C::Team,
                C::Agent,
                C::TicketId,
                C::WrapUpNote,
            ],
        ),
    ];
    for agent in 1..=AGENTS.len() as i64 {
        for (name, filter, columns) in &views {
            sqlx::query("INSERT INTO views (owner_id, name, filter, columns, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(agent)
                .bind(name)
                .bind(serde_json::to_string(filter).unwrap_or_default())
                .bind(serde_json::to_string(columns).unwrap_or_default())
                .bind(crate::util::now())
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// What the conversation generator needs to know about a contact.
pub struct ContactSeed {
    pub first: String,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub handle: String,
    pub country: usize,
    pub city: usize,
}

fn ascii(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'á' | 'à' | 'ã' | 'â' | 'Á' => 'a',
            'é' | 'è' | 'ê' | 'É' => 'e',
            'í' | 'Í' => 'i',
            'ó' | 'ô' | 'ö' | 'Ó' => 'o',
            'ú' | 'ü' => 'u',
            'ç' => 'c',
            'ł' => 'l',
            'ś' => 's',
            'ń' => 'n',
            'ż' | 'ź' => 'z',
            'Ö' => 'o',
            other => other,
        })
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_lowercase()
}

async fn contacts(
    conn: &mut Conn,
    rng: &mut Rng,
    options: &SeedOptions,
) -> Result<Vec<ContactSeed>, sqlx::Error> {
    let count = (options.conversations as usize * 3 / 4).max(12)
        + usize::from(options.long_conversation > 0);
    let mut rows = Batch::new(
        "contacts",
        &[
            "id",
            "name",
            "phone",
            "email",
            "identifier",
            "external_id",
            "gender",
            "city",
            "country",
            "known",
            "blocked",
            "blocked_changed_by",
            "blocked_changed_at",
            "labels",
            "attributes",
            "created_at",
        ],
    );
    let backend = Backend::of(conn);
    let mut search = match backend {
        Backend::Sqlite => Batch::new("contacts_fts", &["rowid", "name", "identifiers"]),
        Backend::Postgres => Batch::new("contact_search_text", index::POSTGRES_CONTACT_COLUMNS)
            .wrap(2, index::TO_TSVECTOR),
    };
    let mut out = Vec::with_capacity(count);
    let anchor_ms = (options.anchor.unix_timestamp_nanos() / 1_000_000) as i64;
    let domains = ["example.com", "mail.test", "inbox.example", "post.example"];
    for i in 0..count {
        let id = i as i64 + 1;
        let country_index = rng.below(data::COUNTRIES.len() as u64) as usize;
        let country = &data::COUNTRIES[country_index];
        let first = rng.pick(country.first).to_string();
        let last = rng.pick(country.last).to_string();
        let city_index = rng.below(country.cities.len() as u64) as usize;
        let (city, _) = country.cities[city_index];
        // The id inside keeps identifiers unique (country codes are prefix-free).
        let phone = format!("+{}{}{:06}", country.code, 100 + rng.below(900), id);
        let email = format!(
            "{}.{}{}@{}",
            ascii(&first),
            ascii(&last),
            id,
            rng.pick(&domains)
        );
        let handle = format!("@{}_{}{}", ascii(&first), ascii(&last), id);
        // Every fifth contact is unknown: only the channel identifier is known.
        let known = i % 5 != 4;
        let blocked = id == 3;
        let name = if known {
            format!("{first} {last}")
        } else {
            phone.clone()
        };
        let gender = if rng.chance(0.5) { "Female" } else { "Male" };
        let mut labels = Vec::new();
        if known && rng.chance(0.06) {
            labels.push("vip");
        }
        if known && rng.chance(0.1) {
            labels.push("new customer");
        }
        let created_ms = anchor_ms - rng.range(30, 900) * 86_400_000;
        let attributes = if known {
            serde_json::json!({
                "gender": {"type": "text", "value": gender},
                "hometown": {"type": "text", "value": city},
                "plan": {"type": "list", "value": rng.pick(data::PLANS)},
                "signup_date": {"type": "date", "value": &ms_ts(created_ms)[..10]},
                "lifetime_value": {"type": "number", "value": (rng.range(0, 500_000) as f64) / 100.0},
                "newsletter": {"type": "boolean", "value": rng.chance(0.4)},
                "profile": {"type": "link", "value": format!("https://crm.example.com/people/{id}")},
            })
        } else {
            serde_json::json!({})
        };
        rows.push(
            conn,
            vec![
                V::I(id),
                name.clone().into(),
                phone.clone().into(),
                if known { V::T(email.clone()) } else { V::N },
                phone.clone().into(),
                if known {
                    V::T(format!("CRM-{:06}", id))
                } else {
                    V::N
                },
                if known { V::T(gender.into()) } else { V::N },
                if known { V::T(city.into()) } else { V::N },
                if known {
                    V::T(country.name.into())
                } else {
                    V::N
                },
                known.into(),
                blocked.into(),
                if blocked { V::I(1) } else { V::N },
                if blocked {
                    V::T(ms_ts(anchor_ms - 3 * 86_400_000))
                } else {
                    V::N
                },
                serde_json::to_string(&labels).unwrap_or_default().into(),
                attributes.to_string().into(),
                ms_ts(created_ms).into(),
            ],
        )
        .await?;
        let identifiers = index::contact_identifiers(&[
            Some(&phone),
            known.then_some(email.as_str()),
            Some(&handle),
        ]);
        let entry = match backend {
            Backend::Sqlite => vec![V::I(id), name.clone().into(), identifiers.into()],
            Backend::Postgres => vec![
                V::I(id),
                V::I(0),
                index::contact_text(&name, &identifiers).into(),
            ],
        };
        search.push(conn, entry).await?;
        out.push(ContactSeed {
            first,
            name,
            phone,
            email,
            handle,
            country: country_index,
            city: city_index,
        });
    }
    rows.flush(conn).await?;
    search.flush(conn).await?;
    Ok(out)
}
