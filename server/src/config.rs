use clap::Parser;

/// Command-line flags; each also reads an environment variable.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "convoroom-server",
    version,
    about = "Convoroom JSON API reference server"
)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "CONVOROOM_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// A SQLite file (or `sqlite:PATH`), or a PostgreSQL 15+ URL (`postgres://user:pass@host/db`)
    /// that any number of replicas share; migrated on start, seeded when empty.
    #[arg(
        long,
        env = "CONVOROOM_DATABASE",
        default_value = "convoroom.db",
        hide_env_values = true
    )]
    pub database: String,
    /// Directory of the files agents attach (default: `<database name>-uploads/` beside a
    /// SQLite file, `uploads/` with PostgreSQL). Replicas must share it (a network volume).
    #[arg(long, env = "CONVOROOM_UPLOADS")]
    pub uploads: Option<String>,
    /// Directory of the built Trunk app, served at `/`.
    #[arg(long, env = "CONVOROOM_ASSETS", default_value = "dist")]
    pub assets: String,
    /// Demo conversations seeded into an empty database.
    #[arg(long, env = "CONVOROOM_DEMO_CONVERSATIONS", default_value_t = 200)]
    pub demo_conversations: u32,
    /// Total demo messages (default: about 12 per conversation).
    #[arg(long, env = "CONVOROOM_DEMO_MESSAGES")]
    pub demo_messages: Option<u64>,
    /// When > 0, one extra conversation with this many messages (benchmarks).
    #[arg(long, env = "CONVOROOM_DEMO_LONG_CONVERSATION", default_value_t = 0)]
    pub demo_long_conversation: u32,
    /// Seed of the deterministic demo generator.
    #[arg(long, env = "CONVOROOM_SEED", default_value_t = 42)]
    pub seed: u64,
    /// The "now" of the demo timeline (RFC 3339); default: the start of the current UTC hour.
    /// Pin it for byte-identical demo data across runs.
    #[arg(long, env = "CONVOROOM_DEMO_ANCHOR")]
    pub demo_anchor: Option<String>,
    /// Origins allowed to call the API from a browser (embedding hosts). Repeatable.
    #[arg(
        long = "cors-origin",
        env = "CONVOROOM_CORS_ORIGINS",
        value_delimiter = ','
    )]
    pub cors_origins: Vec<String>,
    /// Minutes of silence after which a conversation is reviewed automatically.
    #[arg(long, env = "CONVOROOM_AI_IDLE_MINUTES", default_value_t = 10)]
    pub ai_idle_minutes: u64,
    /// OpenAI-compatible base URL (e.g. http://localhost:11434/v1); builtin analyzer when absent.
    #[arg(long, env = "CONVOROOM_AI_ENDPOINT")]
    pub ai_endpoint: Option<String>,
    /// Model name sent to the AI endpoint.
    #[arg(long, env = "CONVOROOM_AI_MODEL", default_value = "gpt-4o-mini")]
    pub ai_model: String,
    /// Delivery of replies to integrations: the wait before the second attempt, doubled after
    /// each failed attempt (at most an hour, ±20 %).
    #[arg(long, env = "CONVOROOM_DELIVERY_RETRY_BASE_MS", default_value_t = 2000)]
    pub delivery_retry_base_ms: u64,
    /// How long a reply is retried before it is Failed (default 24 hours).
    #[arg(
        long,
        env = "CONVOROOM_DELIVERY_MAX_AGE_SECS",
        default_value_t = 86_400
    )]
    pub delivery_max_age_secs: u64,
    /// How long one webhook attempt may take, from connecting to the end of the answer.
    #[arg(long, env = "CONVOROOM_DELIVERY_TIMEOUT_MS", default_value_t = 10_000)]
    pub delivery_timeout_ms: u64,
    /// API key for the AI endpoint (environment only).
    #[arg(skip = std::env::var("CONVOROOM_AI_API_KEY").ok())]
    pub ai_api_key: Option<String>,
}

impl Config {
    /// Defaults for tests and tools: a database path and everything else as on the command line.
    pub fn for_database(database: impl Into<String>) -> Config {
        let mut config = Config::parse_from(["convoroom-server"]);
        config.database = database.into();
        config
    }
}
