//! Loading many new projects into a small ledger: the secondary indexes of the tables the
//! rows go to are dropped inside the loading transaction and built again, each in one sorted
//! pass, before it commits, instead of being kept up row by row (for 100,000 projects into an
//! empty ledger, about half the time the rows take to write). A district's first import of its
//! whole ledger is such a load.
//!
//! SQLite only, where schema changes are part of the transaction: readers on other
//! connections go on using the indexes as committed, and a transaction that rolls back,
//! or a process that dies, leaves them as they were. Indexes that enforce uniqueness are kept,
//! so every row is still checked as it is written. On PostgreSQL nothing is dropped.

use crate::{Result, Store, Tx};

/// The tables an import of new projects writes many rows to.
const TABLES: &str = "'projects'";

/// Secondary indexes dropped in a transaction ([`Store::defer_indexes`]), to build again in
/// it ([`Store::rebuild_indexes`]) before it commits.
#[derive(Debug, Default)]
#[must_use = "the dropped indexes must be built again before the transaction commits"]
pub struct DeferredIndexes {
    /// The statements that created them, in name order.
    statements: Vec<String>,
}

impl DeferredIndexes {
    /// Whether no index was dropped.
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }
}

impl Store {
    /// Drops, inside `tx`, the secondary indexes of the tables new projects are written to,
    /// other than those that enforce uniqueness. [`Store::rebuild_indexes`] must build them
    /// again in `tx` before it commits.
    pub async fn defer_indexes(&self, tx: &mut Tx) -> Result<DeferredIndexes> {
        let Tx::Sqlite(writer) = tx else {
            return Ok(DeferredIndexes::default());
        };
        let sql = format!(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
             AND tbl_name IN ({TABLES}) AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name"
        );
        let indexes: Vec<(String, String)> = sqlx::query_as(&sql).fetch_all(&mut **writer).await?;
        for (name, _) in &indexes {
            let drop = format!("DROP INDEX \"{}\"", name.replace('"', "\"\""));
            sqlx::query(&drop).execute(&mut **writer).await?;
        }
        Ok(DeferredIndexes {
            statements: indexes.into_iter().map(|(_, sql)| sql).collect(),
        })
    }

    /// Builds again, inside `tx`, the indexes [`Store::defer_indexes`] dropped there.
    pub async fn rebuild_indexes(&self, tx: &mut Tx, deferred: DeferredIndexes) -> Result<()> {
        if let Tx::Sqlite(writer) = tx {
            for sql in &deferred.statements {
                sqlx::query(sql).execute(&mut **writer).await?;
            }
        }
        Ok(())
    }
}
