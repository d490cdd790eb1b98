//! Checkpoints of SQLite's write-ahead log, off the writer's path.
//!
//! By default SQLite checkpoints inside the commit that takes the log past 1,000 pages: that
//! commit copies the log into the database file and flushes it while every other write waits
//! for the one writer (a few milliseconds, every dozen group commits under steady edits). The
//! writer connection turns that off (`wal_autocheckpoint = 0`) and a connection of its own
//! checkpoints here, a few times a second, in `PASSIVE` mode, which copies what no reader
//! still needs and never waits for, or holds up, the writer or the readers.

use crate::Result;
use sqlx::ConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How often the log is checkpointed: a steady stream of edits writes a few megabytes a
/// second, which is what the log then holds at most.
const PERIOD: Duration = Duration::from_millis(250);

/// The task that checkpoints; stopped when dropped.
#[derive(Debug)]
pub(crate) struct Checkpointer {
    task: JoinHandle<()>,
}

impl Checkpointer {
    /// Opens the checkpointing connection with `options` (read-write) and starts checkpointing.
    pub(crate) async fn start(options: &SqliteConnectOptions) -> Result<Self> {
        let mut conn = options.connect().await?;
        let task = tokio::spawn(async move {
            let mut tick = tokio::time::interval(PERIOD);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                    .execute(&mut conn)
                    .await
                {
                    tracing::warn!(%error, "checkpointing the write-ahead log");
                }
            }
        });
        Ok(Self { task })
    }

    /// Stops checkpointing (the database's last connection to close checkpoints what is left).
    pub(crate) fn stop(&self) {
        self.task.abort();
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop();
    }
}
