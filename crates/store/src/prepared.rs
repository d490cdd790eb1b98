//! Statements built with their values bound before they run.
//!
//! Binding the values of a many-row `INSERT` takes as long as a good part of running it. A
//! caller writing many batches in one transaction (an import) binds the next batch while the
//! database runs this one: [`Prepared`] is that bound statement, [`Store::run`] runs it.

use crate::{Result, Store, StoreError, Tx};
use sqlx::{Postgres, QueryBuilder, Sqlite};

/// A statement with its values bound, for the store's backend.
pub enum Prepared<'q> {
    Sqlite(QueryBuilder<'q, Sqlite>),
    Postgres(QueryBuilder<'q, Postgres>),
}

impl std::fmt::Debug for Prepared<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sql = match self {
            Self::Sqlite(query) => query.sql(),
            Self::Postgres(query) => query.sql(),
        };
        f.debug_tuple("Prepared").field(&sql).finish()
    }
}

/// Builds a [`Prepared`] for `$backend`: `$query` is a `QueryBuilder` that starts with
/// `$sql` and that `$body` goes on building, once per backend.
macro_rules! prepare {
    ($backend:expr, $sql:expr, |$query:ident| $body:block) => {
        match $backend {
            $crate::Backend::Sqlite => {
                let mut $query = sqlx::QueryBuilder::<sqlx::Sqlite>::new($sql);
                $body
                $crate::prepared::Prepared::Sqlite($query)
            }
            $crate::Backend::Postgres => {
                let mut $query = sqlx::QueryBuilder::<sqlx::Postgres>::new($sql);
                $body
                $crate::prepared::Prepared::Postgres($query)
            }
        }
    };
}
pub(crate) use prepare;

impl Store {
    /// Runs `statement` in `tx`; returns the number of rows it changed.
    pub async fn run(&self, tx: &mut Tx, statement: &mut Prepared<'_>) -> Result<u64> {
        let done = match (tx, statement) {
            (Tx::Sqlite(conn), Prepared::Sqlite(query)) => {
                query.build().execute(&mut **conn).await?.rows_affected()
            }
            (Tx::Postgres(conn), Prepared::Postgres(query)) => {
                query.build().execute(&mut **conn).await?.rows_affected()
            }
            _ => {
                return Err(StoreError::Integrity(
                    "a statement prepared for the other database".into(),
                ));
            }
        };
        Ok(done)
    }
}
