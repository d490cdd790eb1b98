//! The SQLite writer, with group commit.
//!
//! SQLite has one writer, and under `synchronous=FULL` every commit waits for the disk to flush
//! the write-ahead log: a few milliseconds on a virtual disk, which alone would cap the ledger at
//! a few hundred edits a second. So writers share their commits, as server databases do. Every
//! [`WriteTx`] runs inside a savepoint of one open transaction, the *group*. A writer that
//! commits releases its savepoint (opening the next writer's in the same round trip to the
//! connection, so that joining a group costs none) and queues for the connection again;
//! meanwhile the writers that were already queued do their work in the same transaction.
//! Whoever finds the group still open when their turn comes back commits it, for everyone in
//! it, with one flush.
//!
//! What each writer sees is what it would see alone: [`WriteTx::commit`] returns only once the
//! group's commit is durable, and with its error if that commit failed; a writer that fails or
//! is dropped rolls back its own savepoint and nothing else; later writers of a group see the
//! earlier ones' changes, which commit with theirs or not at all. A long transaction (an import,
//! the nightly recompute) runs [alone](Writer::begin): it commits the open group first and is
//! never joined, so a quick edit is not kept waiting for it, and it has a wider page cache
//! while it runs.

use crate::{Result, StoreError};
use sqlx::pool::PoolConnection;
use sqlx::{Executor, Sqlite, SqliteConnection, SqlitePool};
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use tokio::sync::{Mutex, OwnedMutexGuard, watch};

/// Writers in one group at most: the first of them waits for all the others' work.
const MAX_GROUP: usize = 32;

/// The page cache of a long transaction, in KiB (SQLite's default is 2,000): with the
/// default, an import of 100,000 projects into a dozen indexes spills dirty pages to the WAL
/// mid-transaction and writes the hot index pages again and again.
const LONG_CACHE_KIB: i64 = 65_536;

/// What the writers of a group hear when it ends: committed, or the reason it was not.
type Outcome = std::result::Result<(), Arc<str>>;

/// The one connection that writes to a SQLite database, shared by group commit.
#[derive(Clone)]
pub(crate) struct Writer {
    pool: SqlitePool,
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").finish_non_exhaustive()
    }
}

#[derive(Default)]
struct State {
    /// Checked out of the one-connection pool while a group is open.
    conn: Option<PoolConnection<Sqlite>>,
    group: Option<Group>,
    /// A writer was dropped without committing: its savepoint must be rolled back first.
    abandoned: bool,
    /// The end of the audit chain, `(seq, hash)`, as the open group's writers left it.
    audit_head: Option<(i64, String)>,
}

struct Group {
    /// Writers that released their savepoint and wait for the group's commit.
    waiting: usize,
    /// A long transaction that nobody joins.
    alone: bool,
    /// The connection's page cache before a long transaction widened it, given back when the
    /// group ends.
    cache_before: Option<i64>,
    outcome: watch::Sender<Option<Outcome>>,
}

/// One writer's transaction: a savepoint in its group. Dropped without [`WriteTx::commit`], it
/// rolls back.
pub struct WriteTx {
    state: Option<OwnedMutexGuard<State>>,
}

impl Writer {
    /// `pool` must have exactly one connection: the writer checks it out while a group is open.
    pub(crate) fn new(pool: SqlitePool) -> Self {
        Self {
            pool,
            state: Arc::new(Mutex::new(State::default())),
        }
    }

    /// Starts a write transaction. With `alone`, the open group is committed first and the
    /// transaction gets a group, and a commit, of its own.
    pub(crate) async fn begin(&self, alone: bool) -> Result<WriteTx> {
        let mut state = Arc::clone(&self.state).lock_owned().await;
        state.settle().await;
        if alone && state.group.is_some() {
            // Its writers hear the outcome, failure included; this transaction starts afresh.
            let _ = state.commit_group().await;
        }
        if let Err(error) = state.open(&self.pool, alone).await {
            state.end_if_idle().await;
            return Err(error);
        }
        Ok(WriteTx { state: Some(state) })
    }
}

impl State {
    fn conn(&mut self) -> &mut SqliteConnection {
        self.conn
            .as_deref_mut()
            .expect("an open group holds the connection")
    }

    /// Whether the open group is a long transaction's own: it has no savepoint, since
    /// nobody shares it (a savepoint would make SQLite journal every page the import
    /// touches a second time).
    fn alone(&self) -> bool {
        self.group.as_ref().is_some_and(|group| group.alone)
    }

    /// Joins the open group, whose savepoint for the next writer is open, or opens a group
    /// with one.
    async fn open(&mut self, pool: &SqlitePool, alone: bool) -> Result<()> {
        if self.group.is_none() {
            let mut conn = pool.acquire().await?;
            // IMMEDIATE takes the write lock now, so another process's writer (a CLI command)
            // makes this wait at the start (busy_timeout) instead of failing mid-transaction.
            // The first writer's savepoint comes in the same round trip.
            let begin = if alone {
                "BEGIN IMMEDIATE"
            } else {
                "BEGIN IMMEDIATE; SAVEPOINT writer"
            };
            if let Err(error) = conn.execute(begin).await {
                // The savepoint can fail after the BEGIN: nothing may stay open.
                let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
                return Err(error.into());
            }
            let cache_before = if alone {
                match widen_cache(&mut conn).await {
                    Ok(before) => Some(before),
                    Err(error) => {
                        let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
                        return Err(error.into());
                    }
                }
            } else {
                None
            };
            self.conn = Some(conn);
            self.group = Some(Group {
                waiting: 0,
                alone,
                cache_before,
                outcome: watch::Sender::new(None),
            });
        }
        Ok(())
    }

    /// Rolls back the savepoint of a writer that was dropped without committing; it stays open
    /// for the next writer.
    async fn settle(&mut self) {
        if !std::mem::take(&mut self.abandoned) || self.conn.is_none() {
            return;
        }
        if self.alone() {
            return self.end_if_idle().await;
        }
        // The writer rolled back may have appended to the chain.
        self.audit_head = None;
        let conn = self.conn();
        match sqlx::query("ROLLBACK TO writer").execute(conn).await {
            Ok(_) => self.end_if_idle().await,
            // SQLite rolls a whole transaction back after some errors (a full disk, I/O): the
            // group's earlier writers lost their work too, and must hear it.
            Err(error) => self.fail_group(&error.to_string()).await,
        }
    }

    /// Ends a group that no writer waits on (its only writer failed): rolls it back.
    async fn end_if_idle(&mut self) {
        if self.group.as_ref().is_some_and(|group| group.waiting > 0) {
            return;
        }
        self.fail_group("rolled back").await;
    }

    async fn fail_group(&mut self, why: &str) {
        self.audit_head = None;
        let group = self.group.take();
        if let Some(mut conn) = self.conn.take() {
            // Fails harmlessly when SQLite has already ended the transaction.
            let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
            if let Some(group) = &group {
                group.give_back_cache(&mut conn).await;
            }
        }
        if let Some(group) = group {
            group.outcome.send_replace(Some(Err(why.into())));
        }
    }

    /// Commits the open group: one flush for every writer in it, each of whom hears the outcome.
    async fn commit_group(&mut self) -> Result<()> {
        let (Some(group), Some(mut conn)) = (self.group.take(), self.conn.take()) else {
            return Ok(());
        };
        // Once the write lock is let go, another process may append.
        self.audit_head = None;
        let committed = sqlx::query("COMMIT").execute(&mut *conn).await.map(drop);
        if committed.is_err() {
            // A failed COMMIT can leave the transaction open; nothing of it may stay.
            let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
        }
        group.give_back_cache(&mut conn).await;
        let outcome = committed.as_ref().map_err(|error| error.to_string().into());
        group.outcome.send_replace(Some(outcome.map(drop)));
        Ok(committed?)
    }
}

/// Widens the connection's page cache for a long transaction; returns the size before.
async fn widen_cache(conn: &mut SqliteConnection) -> sqlx::Result<i64> {
    let before = sqlx::query_scalar("PRAGMA cache_size")
        .fetch_one(&mut *conn)
        .await?;
    let widen = format!("PRAGMA cache_size = -{LONG_CACHE_KIB}");
    sqlx::query(&widen).execute(conn).await?;
    Ok(before)
}

impl Group {
    /// Gives the connection back the page cache a long transaction widened. A failure leaves
    /// only a larger cache behind, so it is logged, not raised.
    async fn give_back_cache(&self, conn: &mut SqliteConnection) {
        if let Some(before) = self.cache_before {
            let restore = format!("PRAGMA cache_size = {before}");
            if let Err(error) = sqlx::query(&restore).execute(conn).await {
                tracing::warn!(%error, "giving back the writer's page cache");
            }
        }
    }
}

impl WriteTx {
    fn state(&mut self) -> &mut State {
        self.state
            .as_deref_mut()
            .expect("a transaction holds the writer until it commits or drops")
    }

    /// The end of the audit chain, `(seq, hash)`, as the last append in this transaction's
    /// group left it, if there was one. The group holds the database's write lock from its
    /// start to its end, so no other connection can have appended since: an append reads the
    /// chain's end from the database once per group instead of once per write.
    pub(crate) fn audit_head(&self) -> Option<(i64, String)> {
        self.state
            .as_deref()
            .and_then(|state| state.audit_head.clone())
    }

    /// Records the end of the audit chain after an append in this transaction.
    pub(crate) fn set_audit_head(&mut self, head: (i64, String)) {
        self.state().audit_head = Some(head);
    }

    /// Returns once this transaction is durable (or with the reason it is not). Runs to the end
    /// even if the caller stops waiting, since the other writers of its group may rely on it.
    pub async fn commit(mut self) -> Result<()> {
        let state = self.state.take().expect("a transaction commits once");
        tokio::spawn(commit_member(state))
            .await
            .map_err(|error| StoreError::GroupCommit(error.to_string()))?
    }
}

async fn commit_member(mut state: OwnedMutexGuard<State>) -> Result<()> {
    if state.alone() {
        return state.commit_group().await;
    }
    // An empty savepoint left open when the group commits is committed with it.
    if let Err(error) = state
        .conn()
        .execute("RELEASE writer; SAVEPOINT writer")
        .await
    {
        state.abandoned = true;
        state.settle().await;
        return Err(error.into());
    }
    let group = state.group.as_mut().expect("a writer's group is open");
    if group.waiting + 1 >= MAX_GROUP {
        return state.commit_group().await;
    }
    group.waiting += 1;
    let outcome = group.outcome.subscribe();
    let mut heard = outcome.clone();
    let writer = Arc::clone(OwnedMutexGuard::mutex(&state));
    // Let the queued writers in, and queue behind them.
    drop(state);
    let committed_by_another = async move {
        let heard = heard.wait_for(Option::is_some).await;
        heard.ok().and_then(|outcome| outcome.clone())
    };
    let heard = tokio::select! {
        biased;
        heard = committed_by_another => heard,
        mut state = writer.lock_owned() => {
            state.settle().await;
            // Nobody committed the group while this writer queued: it is still this writer's
            // group (another group starts only after this one has sent its outcome).
            let heard = outcome.borrow().clone();
            if heard.is_none() {
                return state.commit_group().await;
            }
            heard
        }
    };
    heard
        .unwrap_or_else(|| Err("the write's group ended without an outcome".into()))
        .map_err(|why| StoreError::GroupCommit(why.to_string()))
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        if let Some(mut state) = self.state.take() {
            state.abandoned = true;
            // Roll back at once if a runtime is at hand; otherwise the next writer does it first.
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move { state.settle().await });
            }
        }
    }
}

impl Deref for WriteTx {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        self.state
            .as_deref()
            .and_then(|state| state.conn.as_deref())
            .expect("a transaction holds the writer until it commits or drops")
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.state().conn()
    }
}

#[cfg(test)]
#[path = "writer_tests.rs"]
mod tests;
