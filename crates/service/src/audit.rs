//! Writing, reading, verifying and exporting the audit log.

use crate::{Ctx, ServiceError, ServiceResult, Services};
use districtops_domain::access::Permission;
use districtops_domain::audit::{ChainBreak, FieldChange, Outcome, verify_chain};
use districtops_store::{AuditChain, AuditFilter, AuditRow, NewAuditRecord, Tx};

/// What an audit record is about.
#[derive(Clone, Debug, Default)]
pub struct Object {
    pub kind: Option<&'static str>,
    pub id: Option<String>,
}

impl Object {
    pub fn none() -> Self {
        Self::default()
    }

    pub fn new(kind: &'static str, id: impl ToString) -> Self {
        Self {
            kind: Some(kind),
            id: Some(id.to_string()),
        }
    }

    /// A user account.
    pub fn user(id: impl ToString) -> Self {
        Self::new("user", id)
    }
}

/// The result of walking the whole chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainReport {
    Intact { records: u64 },
    Broken(ChainBreak),
}

/// Records are read this many at a time when the chain is walked or exported.
const BATCH: i64 = 1000;

impl Services {
    /// Appends an audit record inside `tx`, so it commits or rolls back with the change.
    pub async fn audit(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        action: &str,
        object: Object,
        outcome: Outcome,
        changes: Vec<FieldChange>,
    ) -> ServiceResult<()> {
        self.audit_as(tx, ctx, None, action, object, outcome, changes)
            .await
    }

    /// Records a successful change inside `tx`: the usual last step of a change before
    /// `tx.commit()`.
    pub async fn record(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        action: &str,
        object: Object,
        changes: Vec<FieldChange>,
    ) -> ServiceResult<()> {
        self.audit(tx, ctx, action, object, Outcome::Success, changes)
            .await
    }

    /// As [`Services::audit`], naming the user when there is no actor yet (a failed login).
    #[allow(clippy::too_many_arguments)]
    pub async fn audit_as(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        username: Option<&str>,
        action: &str,
        object: Object,
        outcome: Outcome,
        changes: Vec<FieldChange>,
    ) -> ServiceResult<()> {
        let record = new_record(self.now(), ctx, username, action, object, outcome, changes);
        let settings = &self.settings;
        self.store
            .append_audit(tx, settings.audit_algorithm, &settings.audit_key, record)
            .await?;
        Ok(())
    }

    /// The end of the audit chain in `tx`, for many records at once (an import's created
    /// projects): each [linked](AuditChain::link) to the one before without the database,
    /// then written with [`Store::prepare_audits`](districtops_store::Store::prepare_audits).
    pub(crate) async fn audit_chain(&self, tx: &mut Tx) -> ServiceResult<AuditChain> {
        let settings = &self.settings;
        Ok(self
            .store
            .audit_chain(tx, settings.audit_algorithm, &settings.audit_key)
            .await?)
    }

    /// The record of a successful change at `at`, to link to an [`AuditChain`].
    pub(crate) fn success_record(
        at: chrono::DateTime<chrono::Utc>,
        ctx: &Ctx,
        action: &str,
        object: Object,
        changes: Vec<FieldChange>,
    ) -> NewAuditRecord {
        new_record(at, ctx, None, action, object, Outcome::Success, changes)
    }

    /// Writes one audit record in a transaction of its own (for events that change nothing
    /// else, such as an export).
    pub async fn audit_alone(
        &self,
        ctx: &Ctx,
        action: &str,
        object: Object,
        outcome: Outcome,
        changes: Vec<FieldChange>,
    ) -> ServiceResult<()> {
        let mut tx = self.store.begin().await?;
        self.audit(&mut tx, ctx, action, object, outcome, changes)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One page of the audit log (auditors only).
    pub async fn audit_page(
        &self,
        ctx: &Ctx,
        filter: &AuditFilter,
        page: i64,
        per_page: i64,
    ) -> ServiceResult<(Vec<AuditRow>, i64)> {
        ctx.require(Permission::ReadAudit)?;
        let per_page = per_page.clamp(1, 500);
        let offset = (page.max(1) - 1).saturating_mul(per_page);
        Ok(self.store.audit_page(filter, offset, per_page).await?)
    }

    /// Walks the whole chain from the first record and names the first broken link.
    pub async fn verify_audit_chain(&self) -> ServiceResult<ChainReport> {
        let key = &self.settings.audit_key;
        let mut checked = 0;
        let mut last: Option<AuditRow> = None;
        loop {
            let batch = self
                .store
                .audit_after(last.as_ref().map_or(0, |r| r.seq), BATCH)
                .await?;
            if batch.is_empty() {
                return Ok(ChainReport::Intact { records: checked });
            }
            // The last record of the previous batch links this batch to it.
            let records: Vec<_> = last
                .iter()
                .chain(batch.iter())
                .map(AuditRow::to_chained)
                .collect();
            let skip = u64::from(last.is_some());
            match verify_chain(key, &records) {
                Ok(n) => checked += n - skip,
                Err(broken) => return Ok(ChainReport::Broken(broken)),
            }
            last = batch.into_iter().last();
        }
    }

    /// The audit records matching `filter` as an xlsx workbook (auditors only); the export
    /// itself is audited.
    pub async fn export_audit(&self, ctx: &Ctx, filter: &AuditFilter) -> ServiceResult<Vec<u8>> {
        ctx.require(Permission::ReadAudit)?;
        let mut rows = Vec::new();
        let mut offset = 0;
        loop {
            let (batch, _) = self.store.audit_page(filter, offset, BATCH).await?;
            let done = (batch.len() as i64) < BATCH;
            rows.extend(batch);
            if done || rows.len() >= 1_000_000 {
                break;
            }
            offset += BATCH;
        }
        let bytes = crate::audit_xlsx::workbook(&rows)
            .map_err(|e| ServiceError::Internal(format!("writing the audit workbook: {e}")))?;
        self.audit_alone(
            ctx,
            "audit.export",
            Object::none(),
            Outcome::Success,
            vec![FieldChange::new("rows", None::<String>, Some(rows.len()))],
        )
        .await?;
        Ok(bytes)
    }
}

/// The record of `action` on `object` by the caller (or by `username`, when there is no actor
/// yet: a failed login; or by "system" for the command-line operator).
fn new_record(
    at: chrono::DateTime<chrono::Utc>,
    ctx: &Ctx,
    username: Option<&str>,
    action: &str,
    object: Object,
    outcome: Outcome,
    changes: Vec<FieldChange>,
) -> NewAuditRecord {
    NewAuditRecord {
        at,
        user_id: ctx.actor.as_ref().map(|a| a.id.0),
        username: ctx
            .actor
            .as_ref()
            .map(|a| a.username.clone())
            .or_else(|| username.map(str::to_owned))
            .or_else(|| ctx.is_system().then(|| "system".to_owned())),
        ip: ctx.ip.clone(),
        action: action.to_owned(),
        object_type: object.kind.map(str::to_owned),
        object_id: object.id,
        outcome,
        changes,
    }
}
