//! The append-only, hash-chained audit log.

mod chain;

pub use chain::{AuditChain, LinkedAudit};

use crate::prepared::{Prepared, prepare};
use crate::{Backend, Result, Store, Tx, exec, on_db, on_tx};
use chrono::{DateTime, Utc};
use districtops_domain::audit::{
    AuditContent, ChainAlgorithm, ChainedRecord, FieldChange, Outcome,
};

/// An audit record to append; the store gives it its sequence number and hash.
#[derive(Clone, Debug)]
pub struct NewAuditRecord {
    pub at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub ip: Option<String>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub outcome: Outcome,
    pub changes: Vec<FieldChange>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AuditRow {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub ip: Option<String>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub outcome: String,
    pub changes: String,
    pub algorithm: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRow {
    pub fn changes(&self) -> Vec<FieldChange> {
        serde_json::from_str(&self.changes).unwrap_or_default()
    }

    /// The record as the chain check reads it. A row whose stored fields do not parse keeps
    /// whatever parses, so the hash check reports it as altered.
    pub fn to_chained(&self) -> ChainedRecord {
        ChainedRecord {
            content: AuditContent {
                seq: self.seq,
                at: self.at,
                user_id: self.user_id,
                username: self.username.clone(),
                ip: self.ip.clone(),
                action: self.action.clone(),
                object_type: self.object_type.clone(),
                object_id: self.object_id.clone(),
                outcome: if self.outcome == "success" {
                    Outcome::Success
                } else {
                    Outcome::Failure
                },
                changes: self.changes(),
            },
            algorithm: ChainAlgorithm::parse(&self.algorithm).unwrap_or_default(),
            prev_hash: self.prev_hash.clone(),
            hash: self.hash.clone(),
        }
    }
}

/// Which audit records to list.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub username: Option<String>,
    /// Actions starting with this prefix (`auth.` for the login log).
    pub action_prefix: Option<String>,
    pub outcome: Option<Outcome>,
    pub object_type: Option<String>,
}

enum Bind {
    Text(String),
    Time(DateTime<Utc>),
}

impl AuditFilter {
    /// The WHERE clause and its values, placeholders numbered from `$1`.
    fn to_sql(&self) -> (String, Vec<Bind>) {
        let mut clauses = Vec::new();
        let mut binds = Vec::new();
        let mut add = |clause: &str, bind: Bind| {
            binds.push(bind);
            clauses.push(clause.replace('?', &format!("${}", binds.len())));
        };
        if let Some(from) = self.from {
            add("at >= ?", Bind::Time(from));
        }
        if let Some(until) = self.until {
            add("at < ?", Bind::Time(until));
        }
        if let Some(username) = &self.username {
            add("username = ?", Bind::Text(username.clone()));
        }
        if let Some(prefix) = &self.action_prefix {
            let escaped = prefix
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            add(
                "action LIKE ? ESCAPE '\\'",
                Bind::Text(format!("{escaped}%")),
            );
        }
        if let Some(outcome) = self.outcome {
            add("outcome = ?", Bind::Text(outcome.as_str().to_owned()));
        }
        if let Some(object_type) = &self.object_type {
            add("object_type = ?", Bind::Text(object_type.clone()));
        }
        let sql = if clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", clauses.join(" AND "))
        };
        (sql, binds)
    }
}

const COLUMNS: &str = "seq, at, user_id, username, ip, action, object_type, object_id, \
    outcome, changes, algorithm, prev_hash, hash";

/// Records per statement: 13 values each, under SQLite's 32,766 bound values.
const AUDITS_PER_STATEMENT: usize = 1_000;

/// Binds the filter's values onto a query, whichever backend it is for.
macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut query = $query;
        for bind in $binds {
            query = match bind {
                Bind::Text(text) => query.bind(text.clone()),
                Bind::Time(time) => query.bind(*time),
            };
        }
        query
    }};
}

impl Store {
    /// Appends a record at the end of the chain, inside the caller's transaction, so the record
    /// commits or rolls back with the change it describes; returns its sequence number.
    pub async fn append_audit(
        &self,
        tx: &mut Tx,
        algorithm: ChainAlgorithm,
        key: &[u8],
        record: NewAuditRecord,
    ) -> Result<i64> {
        self.append_audits(tx, algorithm, key, vec![record]).await
    }

    /// [`Store::append_audit`] for many records, in the order given: the chain's end read once,
    /// each hash computed from the one before, a thousand rows per statement. Returns the
    /// sequence number of the last record.
    pub async fn append_audits(
        &self,
        tx: &mut Tx,
        algorithm: ChainAlgorithm,
        key: &[u8],
        records: Vec<NewAuditRecord>,
    ) -> Result<i64> {
        let mut chain = self.audit_chain(tx, algorithm, key).await?;
        let linked: Vec<LinkedAudit> = records.into_iter().map(|r| chain.link(r)).collect();
        for mut statement in self.prepare_audits(linked) {
            self.run(tx, &mut statement).await?;
        }
        self.chain_written(tx, &chain);
        Ok(chain.seq)
    }

    /// The end of the chain, to [link](AuditChain::link) records to and then write them in
    /// `tx` ([`Store::prepare_audits`]), in the order linked. On PostgreSQL it takes
    /// the chain's lock until `tx` ends; SQLite's single writer already holds it.
    pub async fn audit_chain(
        &self,
        tx: &mut Tx,
        algorithm: ChainAlgorithm,
        key: &[u8],
    ) -> Result<AuditChain> {
        if self.backend() == Backend::Postgres {
            // Writers to the chain take turns.
            exec!(tx, conn => sqlx::query("SELECT pg_advisory_xact_lock(7104104)")
                .execute(conn)
                .await)?;
        }
        let cached = match &*tx {
            Tx::Sqlite(writer) => writer.audit_head(),
            Tx::Postgres(_) => None,
        };
        let last: Option<(i64, String)> = match cached {
            Some(head) => Some(head),
            None => on_tx!(tx, conn => sqlx::query_as(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            )
            .fetch_optional(conn)
            .await)?,
        };
        let (seq, hash) = last.unwrap_or((0, String::new()));
        Ok(AuditChain {
            algorithm,
            key: key.to_vec(),
            seq,
            hash,
        })
    }

    /// The statements that write records [linked](AuditChain::link) to the chain read in
    /// `tx`, a thousand per statement, to [run](Store::run) in order; once they have,
    /// [`Store::chain_written`] tells the transaction where the chain ends.
    pub fn prepare_audits<'q>(&self, records: Vec<LinkedAudit>) -> Vec<Prepared<'q>> {
        let sql = format!("INSERT INTO audit_log ({COLUMNS}) ");
        let mut statements = Vec::with_capacity(records.len().div_ceil(AUDITS_PER_STATEMENT));
        let mut records = records.into_iter().peekable();
        while records.peek().is_some() {
            let chunk = records.by_ref().take(AUDITS_PER_STATEMENT);
            statements.push(prepare!(self.backend(), sql.clone(), |query| {
                query.push_values(chunk, |mut row, linked| {
                    let LinkedAudit {
                        content,
                        changes,
                        algorithm,
                        prev_hash,
                        hash,
                    } = linked;
                    row.push_bind(content.seq)
                        .push_bind(content.at)
                        .push_bind(content.user_id)
                        .push_bind(content.username)
                        .push_bind(content.ip)
                        .push_bind(content.action)
                        .push_bind(content.object_type)
                        .push_bind(content.object_id)
                        .push_bind(content.outcome.as_str())
                        .push_bind(changes)
                        .push_bind(algorithm.as_str())
                        .push_bind(prev_hash)
                        .push_bind(hash);
                });
            }));
        }
        statements
    }

    /// Tells `tx` that the records linked to `chain` are written (after running
    /// [`Store::prepare_audits`]' statements), so its next append need not read the chain's end.
    pub fn chain_written(&self, tx: &mut Tx, chain: &AuditChain) {
        if let Tx::Sqlite(writer) = tx {
            writer.set_audit_head((chain.seq, chain.hash.clone()));
        }
    }

    /// One page of records matching `filter`, newest first, and how many match in all.
    pub async fn audit_page(
        &self,
        filter: &AuditFilter,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<AuditRow>, i64)> {
        let (clause, binds) = filter.to_sql();
        let n = binds.len();
        let sql = format!(
            "SELECT {COLUMNS} FROM audit_log{clause} ORDER BY seq DESC LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let count_sql = format!("SELECT COUNT(*) FROM audit_log{clause}");
        let rows = on_db!(self, pool => bind_all!(sqlx::query_as(&sql), &binds)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await)?;
        let total = on_db!(self, pool => bind_all!(sqlx::query_scalar(&count_sql), &binds)
            .fetch_one(pool)
            .await)?;
        Ok((rows, total))
    }

    /// Records with a sequence number above `after`, oldest first (to walk the chain).
    pub async fn audit_after(&self, after: i64, limit: i64) -> Result<Vec<AuditRow>> {
        let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2");
        Ok(
            on_db!(self, pool => sqlx::query_as(&sql).bind(after).bind(limit).fetch_all(pool).await)?,
        )
    }
}
