//! Convoroom reference server: the JSON API contract on axum + SQLite.

pub mod agents;
pub mod ai;
pub mod ai_http;
pub mod assets;
pub mod attributes;
pub mod auth;
pub mod canned;
pub mod config;
pub mod contacts;
pub mod conversations;
pub mod db;
pub mod delivery;
pub mod error;
pub mod events;
pub mod exchange;
pub mod inbound;
pub mod jwt;
pub mod labels;
pub mod media;
pub mod message_search;
pub mod messages;
pub mod notes;
pub mod notifications;
pub mod openapi;
pub mod profile;
pub mod rate_limit;
pub mod search;
pub mod seed;
pub mod settings;
pub mod state;
pub mod tokens;
pub mod uploads;
pub mod util;
pub mod views;
pub mod workspace;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
pub use config::Config;
pub use state::AppState;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::TraceLayer;

pub const BODY_LIMIT: usize = 1024 * 1024;

/// Each resource module routes its own endpoints; a new endpoint touches its module and the
/// OpenAPI list (`openapi.rs`).
fn api_routes() -> Router<AppState> {
    Router::new()
        .merge(openapi::router())
        .merge(auth::router())
        .merge(exchange::router())
        .merge(agents::router())
        .merge(workspace::router())
        .merge(tokens::router())
        .merge(events::router())
        .merge(conversations::router())
        .merge(messages::router())
        .merge(notes::router())
        .merge(ai::router())
        .merge(contacts::router())
        .merge(views::router())
        .merge(canned::router())
        .merge(notifications::router())
        .merge(uploads::router())
        .merge(settings::router())
        .merge(inbound::router())
        .merge(delivery::router())
        .method_not_allowed_fallback(method_not_allowed)
}

async fn method_not_allowed() -> axum::response::Response {
    let mut response =
        error::AppError::bad_request("This method is not allowed on this endpoint").into_response();
    *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    response
}

fn cors(config: &Config) -> CorsLayer {
    let origins: Vec<HeaderValue> = config
        .cors_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim()).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PATCH,
            Method::PUT,
            Method::DELETE,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            HeaderName::from_static("last-event-id"),
        ])
        .max_age(Duration::from_secs(600))
}

/// The whole application: API, media, static assets, with security headers on every response.
pub fn router(state: AppState) -> Router {
    Router::new()
        .nest(convoroom_api::API_PREFIX, api_routes())
        .route("/media/recordings/{file}", get(media::recording))
        .route("/media/images/{file}", get(media::image))
        .route("/media/files/{file}", get(media::file))
        .fallback(assets::fallback)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(cors(&state.config))
        .layer(axum::middleware::map_response_with_state(
            state.clone(),
            assets::security_headers,
        ))
        // Spans record method and path only: never headers, query strings (stream tickets) or bodies.
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
        }))
        .with_state(state)
}

fn default_anchor() -> time::OffsetDateTime {
    let now = time::OffsetDateTime::now_utc();
    now.replace_minute(0)
        .and_then(|t| t.replace_second(0))
        .and_then(|t| t.replace_nanosecond(0))
        .unwrap_or(now)
}

pub fn seed_options(config: &Config) -> seed::SeedOptions {
    let anchor = config
        .demo_anchor
        .as_deref()
        .and_then(util::parse_ts)
        .unwrap_or_else(default_anchor);
    seed::SeedOptions {
        conversations: config.demo_conversations,
        messages: config
            .demo_messages
            .unwrap_or(config.demo_conversations as u64 * 12),
        long_conversation: config.demo_long_conversation,
        seed: config.seed,
        anchor,
    }
}

/// Opens (creating, migrating and seeding when empty) the database and builds the state.
pub async fn build_state(
    config: Config,
) -> Result<AppState, Box<dyn std::error::Error + Send + Sync>> {
    let (pool, backend) = db::connect(&config.database).await?;
    // One replica migrates and seeds; replicas starting at the same time wait for it.
    let startup = db::StartupLock::take(&pool, backend).await?;
    db::migrate(&pool, backend).await?;
    if db::is_empty(&pool).await? {
        tracing::info!(
            database = backend.name(),
            "empty database: seeding demo data"
        );
        seed::seed(&pool, &seed_options(&config)).await?;
    }
    startup.release().await?;
    AppState::new(pool, backend, config)
        .await
        .map_err(|e| format!("starting the event log reader: {}", e.0.message).into())
}

/// Periodic work: presence expiry, snoozes ending, idle AI reviews, event-log and delivery-log pruning, reply
/// delivery.
pub fn spawn_background(state: &AppState) {
    delivery::worker::spawn(state);
    let presence_state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            if let Err(err) = events::presence::sweep(&presence_state).await {
                tracing::warn!(error = %err.0.message, "presence sweep failed");
            }
        }
    });
    let snooze_state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            let now = time::OffsetDateTime::now_utc();
            match conversations::snooze::wake_due(&snooze_state, now).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(reopened = n, "snoozed conversations reopened"),
                Err(err) => tracing::warn!(error = %err.0.message, "snooze sweep failed"),
            }
            if let Err(err) = notifications::waiting::alert_due(&snooze_state, now).await {
                tracing::warn!(error = %err.0.message, "waiting alert sweep failed");
            }
        }
    });
    let ai_state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(30));
        let mut prune_every = 0u32;
        loop {
            tick.tick().await;
            match ai::review_idle(&ai_state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(reviewed = n, "idle conversations reviewed"),
                Err(err) => tracing::warn!(error = %err.0.message, "idle review failed"),
            }
            prune_every += 1;
            if prune_every % 120 == 1 {
                if let Err(err) = events::log::prune(&ai_state, 7).await {
                    tracing::warn!(error = %err.0.message, "event pruning failed");
                }
                if let Err(err) = delivery::log::prune(&ai_state, 30).await {
                    tracing::warn!(error = %err.0.message, "delivery log pruning failed");
                }
            }
        }
    });
}

/// Runs the server until Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let bind = config.bind.clone();
    let state = build_state(config).await?;
    spawn_background(&state);
    let listener = tokio::net::TcpListener::bind(&bind).await?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "listening");
    println!("Convoroom listening on http://{addr}");
    println!("Demo sign-in: maya@example.com / {}", seed::DEMO_PASSWORD);
    let shutdown_state = state.clone();
    let app = router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        tracing::info!("shutting down");
        let _ = shutdown_state.shutdown.send(true);
    })
    .await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
