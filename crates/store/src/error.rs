use thiserror::Error;

/// What can go wrong in the store.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("unsupported database URL scheme `{0}`: use sqlite://PATH or postgres://…")]
    BadUrl(String),
    #[error("{0}")]
    Unsupported(&'static str),
    #[error("the backup failed its integrity check: {0}")]
    Integrity(String),
    /// The commit shared by a group of writers failed (the database's message).
    #[error("the commit failed: {0}")]
    GroupCommit(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
}

impl StoreError {
    /// Whether a unique constraint refused the write (for a 409/422 with a field message).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, Self::Sql(sqlx::Error::Database(e)) if e.is_unique_violation())
    }

    /// Whether a foreign key refused the write.
    pub fn is_foreign_key_violation(&self) -> bool {
        matches!(self, Self::Sql(sqlx::Error::Database(e)) if e.is_foreign_key_violation())
    }
}
