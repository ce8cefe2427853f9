use clap::Parser;

#[tokio::main]
async fn main() {
    // Logs go to stderr so stdout carries only the two startup lines tools look for.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
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
