use crate::Application;
use crate::config::Config;
use anyhow::Result;
use std::process::ExitCode;

pub async fn run(config: Config) -> Result<ExitCode> {
    let app = Application::build(&config, false).await?;
    tracing::info!(
        address = %app.local_addr(),
        database = %crate::app::redact(&config.database.url),
        "districtops is serving"
    );
    app.run().await?;
    Ok(ExitCode::SUCCESS)
}
