//! Group commit on a real SQLite file: every writer hears the truth about its own work.

use crate::{Store, Tx};

/// A fresh SQLite store with the tables the tests write, removed when dropped.
struct Scratch {
    store: Store,
    dir: std::path::PathBuf,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("dotest_writer_{}_{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let url = format!("sqlite://{}", dir.join("test.db").display());
    let store = Store::connect(&url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    for sql in [
        "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
        "CREATE TABLE child (n INTEGER NOT NULL UNIQUE, \
         parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)",
    ] {
        execute(&mut tx, sql).await.unwrap();
    }
    tx.commit().await.unwrap();
    Scratch { store, dir }
}

async fn execute(tx: &mut Tx, sql: &str) -> crate::Result<u64> {
    crate::exec!(tx, conn => sqlx::query(sql).execute(conn).await).map_err(Into::into)
}

async fn insert(store: &Store, n: i64) -> crate::Result<Tx> {
    let mut tx = store.begin().await?;
    execute(&mut tx, &format!("INSERT INTO child (n) VALUES ({n})")).await?;
    Ok(tx)
}

async fn committed(store: &Store) -> Vec<i64> {
    crate::on_db!(store, pool => sqlx::query_scalar("SELECT n FROM child ORDER BY n")
        .fetch_all(pool)
        .await)
    .unwrap()
}

/// Runs `writer` on a task of its own and returns once that task waits in the writer's
/// queue (the caller holds the writer): on the single-threaded runtime of these tests the
/// task runs from its signal to its first wait, the lock of the writer.
async fn queued<T: Send + 'static>(
    writer: impl Future<Output = T> + Send + 'static,
) -> tokio::task::JoinHandle<T> {
    let (signal, signalled) = tokio::sync::oneshot::channel();
    let task = tokio::spawn(async move {
        let _ = signal.send(());
        writer.await
    });
    signalled.await.unwrap();
    task
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_keep_exactly_the_committed_work() {
    let scratch = scratch("concurrent").await;
    let writers = (0..96).map(|n| {
        let store = scratch.store.clone();
        tokio::spawn(async move {
            match n % 4 {
                // Dropped without committing.
                1 => drop(insert(&store, n).await?),
                // Fails half-way: the first row must not stay.
                2 => {
                    let mut tx = insert(&store, n).await?;
                    execute(&mut tx, "INSERT INTO missing_table VALUES (1)").await?;
                    tx.commit().await?;
                }
                // Refused by a constraint, then carries on and commits the rest.
                3 => {
                    let mut tx = insert(&store, n).await?;
                    let again = format!("INSERT INTO child (n) VALUES ({n})");
                    let refused = execute(&mut tx, &again).await.unwrap_err();
                    assert!(refused.is_unique_violation());
                    tx.commit().await?;
                }
                _ => insert(&store, n).await?.commit().await?,
            }
            Ok::<_, crate::StoreError>(n)
        })
    });
    let mut answered = Vec::new();
    for writer in writers {
        if let Ok(n) = writer.await.unwrap() {
            answered.push(n);
        }
    }
    let expected: Vec<i64> = (0..96).filter(|n| n % 4 != 2).collect();
    assert_eq!(answered, expected);
    let kept: Vec<i64> = (0..96).filter(|n| n % 4 == 0 || n % 4 == 3).collect();
    assert_eq!(committed(&scratch.store).await, kept);
}

#[tokio::test]
async fn a_failed_group_commit_is_heard_by_every_writer_in_it() {
    let scratch = scratch("failed").await;
    let first = insert(&scratch.store, 1).await.unwrap();
    let store = scratch.store.clone();
    // Queued behind the first writer, so both share one commit; the deferred foreign key
    // fails only at that commit.
    let second = queued(async move {
        let mut tx = store.begin().await?;
        execute(&mut tx, "INSERT INTO child (n, parent) VALUES (2, 99)").await?;
        tx.commit().await
    })
    .await;
    let first = first.commit().await;
    let second = second.await.unwrap();
    assert!(first.is_err() && second.is_err(), "{first:?} {second:?}");
    assert!(committed(&scratch.store).await.is_empty());
    // The writer goes on as before.
    insert(&scratch.store, 3)
        .await
        .unwrap()
        .commit()
        .await
        .unwrap();
    assert_eq!(committed(&scratch.store).await, [3]);
}

#[tokio::test]
async fn a_writer_dropped_in_a_group_takes_only_its_own_work() {
    let scratch = scratch("dropped").await;
    let first = insert(&scratch.store, 1).await.unwrap();
    let store = scratch.store.clone();
    let second = queued(async move {
        drop(insert(&store, 2).await?);
        Ok::<_, crate::StoreError>(())
    })
    .await;
    first.commit().await.unwrap();
    second.await.unwrap().unwrap();
    assert_eq!(committed(&scratch.store).await, [1]);
}

#[tokio::test]
async fn a_long_transaction_does_not_hold_up_the_group_before_it() {
    let scratch = scratch("long").await;
    let quick = insert(&scratch.store, 1).await.unwrap();
    let store = scratch.store.clone();
    let (started, mut long_began) = tokio::sync::mpsc::channel(1);
    let (finish, finished) = tokio::sync::oneshot::channel::<()>();
    let long = queued(async move {
        let mut tx = store.begin_long().await?;
        execute(&mut tx, "INSERT INTO child (n) VALUES (2)").await?;
        started.send(()).await.unwrap();
        finished.await.unwrap();
        tx.commit().await
    })
    .await;
    // Committed and visible while the long transaction is still open.
    quick.commit().await.unwrap();
    long_began.recv().await.unwrap();
    assert_eq!(committed(&scratch.store).await, [1]);
    finish.send(()).unwrap();
    long.await.unwrap().unwrap();
    assert_eq!(committed(&scratch.store).await, [1, 2]);
}

#[tokio::test]
async fn a_long_transaction_commits_or_rolls_back_whole() {
    let scratch = scratch("long_whole").await;
    let mut long = scratch.store.begin_long().await.unwrap();
    execute(&mut long, "INSERT INTO child (n) VALUES (1)")
        .await
        .unwrap();
    drop(long);
    // The rollback runs on a task of its own; the next writer waits for it.
    let mut long = scratch.store.begin_long().await.unwrap();
    execute(&mut long, "INSERT INTO child (n) VALUES (2)")
        .await
        .unwrap();
    let refused = execute(&mut long, "INSERT INTO child (n) VALUES (2)").await;
    assert!(refused.unwrap_err().is_unique_violation());
    long.commit().await.unwrap();
    assert_eq!(committed(&scratch.store).await, [2]);
}

async fn cache_size(tx: &mut Tx) -> i64 {
    crate::on_tx!(tx, conn => sqlx::query_scalar::<_, i64>("PRAGMA cache_size")
        .fetch_one(conn)
        .await)
    .unwrap()
}

/// The bulk cache is a long transaction's only while it runs, whether it commits or not.
#[tokio::test]
async fn a_long_transaction_widens_the_page_cache_and_gives_it_back() {
    let scratch = scratch("long_cache").await;
    let mut quick = scratch.store.begin().await.unwrap();
    let before = cache_size(&mut quick).await;
    quick.commit().await.unwrap();
    for commit in [true, false] {
        let mut long = scratch.store.begin_long().await.unwrap();
        assert_eq!(cache_size(&mut long).await, -super::LONG_CACHE_KIB);
        if commit {
            long.commit().await.unwrap();
        } else {
            drop(long);
        }
        let mut quick = scratch.store.begin().await.unwrap();
        assert_eq!(cache_size(&mut quick).await, before);
        quick.commit().await.unwrap();
    }
}

/// A writer that appends one audit record, then commits, is dropped, or fails; whether it
/// committed.
async fn audit_once(store: Store, n: i64) -> crate::Result<bool> {
    use districtops_domain::audit::{ChainAlgorithm, Outcome};
    let mut tx = store.begin().await?;
    let record = crate::NewAuditRecord {
        at: chrono::Utc::now(),
        user_id: None,
        username: Some(format!("writer {n}")),
        ip: None,
        action: "test.append".to_owned(),
        object_type: None,
        object_id: Some(n.to_string()),
        outcome: Outcome::Success,
        changes: Vec::new(),
    };
    store
        .append_audit(&mut tx, ChainAlgorithm::Sm3, AUDIT_KEY, record)
        .await?;
    match n % 4 {
        1 => return Ok(false),
        2 => {
            execute(&mut tx, "INSERT INTO missing_table VALUES (1)").await?;
        }
        _ => {}
    }
    tx.commit().await?;
    Ok(true)
}

const AUDIT_KEY: &[u8] = b"writer test key";

/// Two stores on one new migrated file, as the server and a command-line import would have.
struct TwoStores {
    store: Store,
    other: Store,
    dir: std::path::PathBuf,
}

impl TwoStores {
    async fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("dotest_writer_{}_{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let url = format!("sqlite://{}", dir.join("test.db").display());
        let store = Store::open(&url).await.unwrap();
        let other = Store::connect(&url).await.unwrap();
        Self { store, other, dir }
    }

    /// Checks the chain; returns how many records it holds.
    async fn chain(&self) -> u64 {
        let (rows, total) = self
            .store
            .audit_page(&crate::AuditFilter::default(), 0, 1_000)
            .await
            .unwrap();
        let chained: Vec<_> = rows.iter().rev().map(|row| row.to_chained()).collect();
        let checked = districtops_domain::audit::verify_chain(AUDIT_KEY, &chained).unwrap();
        assert_eq!(i64::try_from(checked).unwrap(), total);
        checked
    }

    async fn close(self) {
        self.store.close().await;
        self.other.close().await;
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Writers in groups read the chain's end from the group, not the database: after appends
/// rolled back in the middle of groups and appends through another connection to the same
/// file, every committed record links to the one before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_chain_stays_whole_across_groups_rollbacks_and_other_connections() {
    let stores = TwoStores::new("audit_groups").await;
    let writers = (0..96).map(|n| {
        let store = if n % 8 == 7 {
            &stores.other
        } else {
            &stores.store
        };
        tokio::spawn(audit_once(store.clone(), n))
    });
    let mut kept = 0;
    for writer in writers.collect::<Vec<_>>() {
        kept += u64::from(writer.await.unwrap().unwrap_or(false));
    }
    assert_eq!(kept, 48);
    assert_eq!(stores.chain().await, 48);
    stores.close().await;
}

/// A group's end of the chain is forgotten when it commits: another connection may append
/// before the next group starts.
#[tokio::test]
async fn an_append_between_groups_through_another_connection_is_seen() {
    let stores = TwoStores::new("audit_between").await;
    for (store, n) in [(&stores.store, 0), (&stores.other, 4), (&stores.store, 8)] {
        assert!(audit_once(store.clone(), n).await.unwrap());
    }
    assert_eq!(stores.chain().await, 3);
    stores.close().await;
}
