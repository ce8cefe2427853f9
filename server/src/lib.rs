//! Convoroom reference server: the JSON API contract on axum + SQLite.

pub mod ai;
pub mod ai_http;
pub mod assets;
pub mod auth;
pub mod config;
pub mod contacts;
pub mod conversations;
pub mod db;
pub mod error;
pub mod events;
pub mod inbound;
pub mod media;
pub mod messages;
pub mod notes;
pub mod openapi;
pub mod search;
pub mod seed;
pub mod state;
pub mod tokens;
pub mod util;
pub mod views;
pub mod workspace;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{delete, get, patch, post, put};
pub use config::Config;
use conversations as conv;
pub use state::AppState;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::TraceLayer;

pub const BODY_LIMIT: usize = 1024 * 1024;

fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/health", get(openapi::health))
        .route("/openapi.json", get(openapi::document))
        .route("/auth/sign-in", post(auth::sign_in))
        .route("/auth/sign-out", post(auth::sign_out))
        .route("/me", get(workspace::me).patch(workspace::update_me))
        .route("/workspace", get(workspace::workspace))
        .route("/agents", get(workspace::agents))
        .route("/teams", get(workspace::teams))
        .route(
            "/labels",
            get(workspace::labels).post(workspace::create_label),
        )
        .route("/pipeline-stages", get(workspace::pipeline_stages))
        .route(
            "/attribute-definitions",
            get(workspace::attribute_definitions),
        )
        .route("/tokens", get(tokens::list).post(tokens::create))
        .route("/tokens/{id}", delete(tokens::delete))
        .route("/events/ticket", post(events::stream::ticket))
        .route("/events", get(events::stream::stream))
        .route("/conversations", get(conv::list::list).post(conv::create))
        .route("/conversations/bulk", post(conv::actions::bulk))
        .route(
            "/conversations/{id}",
            get(conv::get).patch(conv::patch::patch),
        )
        .route("/conversations/{id}/labels", post(conv::actions::add_label))
        .route(
            "/conversations/{id}/labels/{label}",
            delete(conv::actions::remove_label),
        )
        .route(
            "/conversations/{id}/assignee",
            put(conv::actions::put_assignee),
        )
        .route(
            "/conversations/{id}/collaborators",
            post(conv::actions::add_collaborator),
        )
        .route(
            "/conversations/{id}/collaborators/{agent_id}",
            delete(conv::actions::remove_collaborator),
        )
        .route(
            "/conversations/{id}/resolve",
            post(conv::actions::resolve_handler),
        )
        .route("/conversations/{id}/reopen", post(conv::actions::reopen))
        .route(
            "/conversations/{id}/messages",
            get(messages::list).post(messages::send),
        )
        .route("/conversations/{id}/read", post(messages::mark_read))
        .route("/conversations/{id}/sessions", get(conv::history::sessions))
        .route("/conversations/{id}/audit", get(conv::history::audit))
        .route(
            "/conversations/{id}/notes",
            get(notes::list).post(notes::create),
        )
        .route("/notes/{id}", patch(notes::update).delete(notes::delete))
        .route("/conversations/{id}/link", post(conv::merge::link))
        .route("/conversations/{id}/unlink", post(conv::merge::unlink))
        .route("/conversations/{id}/merge", post(conv::merge::merge))
        .route("/conversations/{id}/ai-review", post(ai::review_now))
        .route(
            "/conversations/{id}/presence",
            post(events::presence::heartbeat),
        )
        .route("/contacts", get(contacts::list).post(contacts::create))
        .route("/contacts/{id}", get(contacts::get).patch(contacts::update))
        .route("/contacts/{id}/conversations", get(contacts::conversations))
        .route("/views", get(views::list).post(views::create))
        .route("/views/{id}", patch(views::update).delete(views::delete))
        .route("/inbound", post(inbound::inbound))
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
    let pool = db::open(&config.database).await?;
    if db::is_empty(&pool).await? {
        tracing::info!("empty database: seeding demo data");
        seed::seed(&pool, &seed_options(&config)).await?;
    }
    Ok(AppState::new(pool, config))
}

/// Periodic work: presence expiry, idle AI reviews, event-log pruning.
pub fn spawn_background(state: &AppState) {
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
            if prune_every % 120 == 1
                && let Err(err) = events::stream::prune(&ai_state, 7).await
            {
                tracing::warn!(error = %err.0.message, "event pruning failed");
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
