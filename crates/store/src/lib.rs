//! Storage of districtops.
//!
//! One [`Store`] serves both backends, chosen by the URL scheme at start-up: `sqlite://PATH`
//! (the default, embedded) or `postgres://…` (several app servers on one database). Every
//! query is written once in the SQL both dialects share (`$1` placeholders, `RETURNING`,
//! `CAST(… AS BIGINT)`), and the [`on_db!`]/[`on_tx!`] macros run it on whichever pool is in
//! use. What differs between the backends lives in [`sqlite`] and [`postgres`]: connection
//! set-up, migrations (each backend has its own folder), serialising writers, backup.
//!
//! Architecture invariant: SQL is written only in this crate. Callers see typed rows and
//! methods, never a query string.

mod audit;
mod bulk_load;
mod checkpoint;
mod departments;
mod error;
mod events;
mod postgres;
mod prepared;
mod projects;
mod sessions;
mod settings;
mod sqlite;
mod tokens;
mod users;
mod writer;

pub use audit::{AuditChain, AuditFilter, AuditRow, LinkedAudit, NewAuditRecord};
pub use bulk_load::DeferredIndexes;
pub use departments::{DepartmentRow, NewDepartment};
pub use error::StoreError;
pub use events::{EventRow, NewEvent};
pub use prepared::Prepared;
pub use projects::bulk::{BulkMilestone, BulkProject, BulkReport};
pub use projects::children::{MilestoneRow, PlanRow, PlatformRow, ProgressRow, StageChangeRow};
pub use projects::cockpit::{CockpitMonth, CockpitPlatform, CockpitRed, CountBy};
pub use projects::goals::{KpiTargetFields, KpiTargetRow, PhaseFields, PhaseRow};
pub use projects::list::{
    ProjectFilter, ProjectPage, ProjectScope, ProjectSort, ProjectTotals, escape_like,
};
pub use projects::list_row::{ProjectListPage, ProjectListRow};
pub use projects::map::{ColourTotals, ProjectPointRow, ProjectPoints};
pub use projects::revisions::NewRevision;
pub use projects::status::{StatusHistoryRow, StatusOverrideRow, StatusSubjectRow};
pub use projects::status_facts::{MilestoneDates, RecordedOutcome, StatusFacts};
pub use projects::{ProjectFields, ProjectRow};
pub use sessions::{NewSession, SessionRow};
pub use sqlite::verify_integrity;
pub use tokens::{TokenOwnerRow, TokenRow};
pub use users::{NewUser, UserRow};
pub use writer::WriteTx;

use sqlx::{PgPool, Postgres, SqlitePool, Transaction};
use std::sync::Arc;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database engine a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
enum Db {
    /// SQLite allows one writer at a time: writes go through a one-connection pool, so
    /// transactions queue in the application instead of failing with `SQLITE_BUSY`, and
    /// share their commits ([`writer`]).
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
        writer: writer::Writer,
        checkpointer: Arc<checkpoint::Checkpointer>,
    },
    Postgres(PgPool),
}

/// The database of one district. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
    totals: Arc<projects::totals_cache::TotalsCache>,
}

/// A write transaction. Dropped without [`Tx::commit`], it rolls back.
pub enum Tx {
    Sqlite(WriteTx),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs `$body` with `$conn` bound to the read pool of whichever backend is in use.
macro_rules! on_db {
    ($store:expr, $conn:ident => $body:expr) => {
        match &$store.db {
            $crate::Db::Sqlite { read: $conn, .. } => $body,
            $crate::Db::Postgres($conn) => $body,
        }
    };
}
/// Runs `$body` with `$conn` bound to the connection of a write transaction.
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::Tx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}
/// Runs a statement in a write transaction, giving the number of rows it changed.
macro_rules! exec {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body.map(|done| done.rows_affected())
            }
            $crate::Tx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body.map(|done| done.rows_affected())
            }
        }
    };
}
pub(crate) use {exec, on_db, on_tx};

impl Store {
    /// Opens the database at `url`, creating a SQLite file (and its folder) if it is missing,
    /// and brings its schema up to date.
    pub async fn open(url: &str) -> Result<Self> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens the database at `url` without touching its schema.
    pub async fn connect(url: &str) -> Result<Self> {
        let db = match backend_of(url)? {
            Backend::Sqlite => {
                let (read, write, checkpointer) = sqlite::connect(url).await?;
                let writer = writer::Writer::new(write.clone());
                Db::Sqlite {
                    read,
                    write,
                    writer,
                    checkpointer: Arc::new(checkpointer),
                }
            }
            Backend::Postgres => Db::Postgres(postgres::connect(url).await?),
        };
        Ok(Self {
            db,
            totals: Arc::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies the migrations this backend has not run yet.
    pub async fn migrate(&self) -> Result<()> {
        match &self.db {
            Db::Sqlite { write, .. } => sqlite::MIGRATOR.run(write).await?,
            Db::Postgres(pool) => postgres::MIGRATOR.run(pool).await?,
        }
        Ok(())
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> Result<Tx> {
        self.begin_with(false).await
    }

    /// Starts a long write transaction (an import, a recompute of every project): on SQLite
    /// it commits on its own rather than in a group with quick edits, which would otherwise
    /// wait for it ([`writer`]).
    pub async fn begin_long(&self) -> Result<Tx> {
        self.begin_with(true).await
    }

    async fn begin_with(&self, alone: bool) -> Result<Tx> {
        Ok(match &self.db {
            Db::Sqlite { writer, .. } => Tx::Sqlite(writer.begin(alone).await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<()> {
        on_db!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(drop))?;
        Ok(())
    }

    /// Closes every connection.
    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite {
                read,
                write,
                checkpointer,
                ..
            } => {
                checkpointer.stop();
                read.close().await;
                write.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }

    /// Takes a consistent copy of a SQLite database into `target` while the server runs, and
    /// checks the copy's integrity. PostgreSQL is backed up with `pg_dump`.
    pub async fn backup_to(&self, target: &std::path::Path) -> Result<()> {
        match &self.db {
            Db::Sqlite { read, .. } => sqlite::backup(read, target).await,
            Db::Postgres(_) => Err(StoreError::Unsupported("backup.postgres_use_pg_dump")),
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

/// The backend a database URL names.
pub fn backend_of(url: &str) -> Result<Backend> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(StoreError::BadUrl(
            url.split(':').next().unwrap_or_default().to_owned(),
        ))
    }
}
