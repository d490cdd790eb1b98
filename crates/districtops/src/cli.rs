//! The command line: `districtops serve|demo|migrate|user|backup|audit|import|export|gen`.

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// A day for `--as-of`, or the reason it is not one (in Chinese, as the catalogs say it).
fn as_of_day(raw: &str) -> Result<NaiveDate, String> {
    districtops_service::projects::as_of::parse_day(raw)
        .map_err(|_| "截至日期格式应为 YYYY-MM-DD，例如 2020-03-31。".to_owned())
}

#[derive(Debug, Parser)]
#[command(
    name = "districtops",
    version,
    about = "区域发展调度平台 — the operations platform of a district government"
)]
pub struct Cli {
    /// Configuration file (default: ./districtops.toml when present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://USER@HOST:PORT/DB.
    #[arg(long, global = true, value_name = "URL", env = "DATABASE_URL")]
    pub database: Option<String>,
    /// Log format.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the application.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
    },
    /// Serve a ready demo district on a fresh SQLite database.
    Demo {
        /// Address to listen on.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
        listen: String,
        /// Folder for the demo database (emptied of any earlier demo database first).
        #[arg(long, value_name = "DIR", default_value = "./data/demo")]
        data_dir: PathBuf,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Copy a SQLite database while the server runs, and check the copy.
    Backup {
        /// Where to write the copy (must not exist yet).
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
    /// Work with the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Import business data from a spreadsheet (as `system`, district-wide, audited).
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export business data to a spreadsheet (as `system`, district-wide, audited).
    #[command(subcommand)]
    Export(ExportCommand),
    /// Write a synthetic district (org, accounts, platforms, projects with milestones, ten
    /// monthly reports each and a plan) into an empty database, for load tests and benchmarks.
    #[command(name = "gen")]
    Generate {
        /// How many projects.
        #[arg(long, value_name = "N")]
        projects: usize,
        /// The same seed (on the same day) gives the same district.
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import the key-project ledger from an .xlsx. Exit code: 0 when no row was rejected,
    /// 1 when some rows were rejected (the accepted ones are still applied unless
    /// --dry-run), 2 when the file was refused as a whole or nothing could be applied.
    Projects {
        file: PathBuf,
        /// Only show what would happen; write nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long, value_enum, default_value_t)]
        format: OutputFormat,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Export the whole key-project ledger as an .xlsx.
    Projects {
        /// Where to write the workbook.
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
        /// The ledger as it stood at the end of this past day (China time), rebuilt from the
        /// recorded revisions: 截至 YYYY-MM-DD.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = as_of_day)]
        as_of: Option<NaiveDate>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; its first password must be changed at first login.
    Add(UserAdd),
    /// Set a new first password (printed once) that must be changed at next login.
    Passwd {
        username: String,
        /// Read the new password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable an account and end its sessions.
    Disable { username: String },
    /// Enable a disabled account.
    Enable { username: String },
    /// List accounts.
    List {
        #[arg(long, value_enum, default_value_t)]
        format: OutputFormat,
    },
}

#[derive(Debug, Args)]
pub struct UserAdd {
    pub username: String,
    /// The person's name as shown on pages.
    #[arg(long)]
    pub name: String,
    /// Department id or exact name (default: the district itself).
    #[arg(long)]
    pub department: Option<String>,
    /// Role to grant (repeatable): system_admin, security_admin, auditor, leader, office,
    /// staff, commissioner.
    #[arg(long = "role", value_name = "ROLE")]
    pub roles: Vec<String>,
    /// Read the first password from standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's hash chain; exits 1 and names the first broken link if any.
    Verify,
}

/// Sets up logging: `RUST_LOG` filters (default `info`), text or JSON lines.
pub fn init_logging(cli: &Cli) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}
