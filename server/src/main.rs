use clap::Parser;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "convoroom_server=info,tower_http=warn".into()),
        )
        .init();
    let config = convoroom_server::Config::parse();
    if let Err(err) = convoroom_server::run(config).await {
        tracing::error!(error = %err, "server failed");
        eprintln!("convoroom-server: {err}");
        std::process::exit(1);
    }
}
