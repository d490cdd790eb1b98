//! `districtops`: the operations platform of a district government.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = districtops::cli::Cli::parse();
    districtops::cli::init_logging(&cli);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: starting the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(districtops::commands::run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
