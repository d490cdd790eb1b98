//! Applying an import in one transaction, while the file is still being read: the sheet is
//! read on a blocking thread and handed over a block of rows at a time; each block is
//! classified (as the preview does, against the committed ledger: the ledger as it was before
//! the import) on a task of its own while the block before it is written, and its accepted
//! rows are written in file order (runs of created rows a batch at a time, updates one by one
//! through the version-checked path); then one `project.import` summary record. A file that
//! turns out unreadable part-way writes nothing.

use super::create_many::{Creation, Statement};
use super::fields::DraftLookups;
use super::import::{ImportReport, ImportRow, refused};
use crate::audit::Object;
use crate::excel::projects_import::ImportError;
use crate::excel::projects_stream::{Streamed, stream_projects};
use crate::excel::safety::UploadLimits;
use crate::{Ctx, ServiceError, ServiceResult, Services};
use districtops_domain::access::Permission;
use districtops_domain::audit::FieldChange;
use districtops_domain::projects::ProjectDraft;
use districtops_store::{DeferredIndexes, Tx};
use tokio::task::JoinHandle;

/// Rows read before a block is handed over to be classified and written.
const BLOCK: usize = 10_000;

/// How far [`Services::apply_import_with`] has got, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportProgress {
    /// `rows` data rows of the file (blank ones included) are read and checked so far.
    Read { rows: usize },
    /// `written` of the `total` created and updated rows found so far are written (not yet
    /// committed).
    Written { written: usize, total: usize },
}

impl Services {
    /// Imports `bytes`: every row classified as the preview does and every accepted row
    /// applied in one transaction (rejected rows are reported and left out), with one
    /// `project.import` summary record and each project's own create or update record. Any
    /// failure while applying (a project changed meanwhile, a code taken, the file unreadable
    /// part-way) writes nothing.
    pub async fn apply_import(&self, ctx: &Ctx, bytes: &[u8]) -> ServiceResult<ImportReport> {
        self.apply_import_with(ctx, bytes, &|_| {}).await
    }

    /// [`Services::apply_import`], telling `progress` as blocks of rows are read and written
    /// (the command line draws a bar).
    pub async fn apply_import_with(
        &self,
        ctx: &Ctx,
        bytes: &[u8],
        progress: &(dyn Fn(ImportProgress) + Sync),
    ) -> ServiceResult<ImportReport> {
        self.apply_import_in_blocks(ctx, bytes, BLOCK, progress)
            .await
    }

    /// [`Services::apply_import_with`], the rows handed over `block` at a time (the others
    /// use 10,000; the tests, blocks of a few rows).
    pub async fn apply_import_in_blocks(
        &self,
        ctx: &Ctx,
        bytes: &[u8],
        block: usize,
        progress: &(dyn Fn(ImportProgress) + Sync),
    ) -> ServiceResult<ImportReport> {
        ctx.require(Permission::WriteBusiness)?;
        let started = std::time::Instant::now();
        let phase = |what: &str| {
            tracing::debug!(ms = started.elapsed().as_millis() as u64, "import: {what}");
        };
        let (sender, mut blocks) = tokio::sync::mpsc::channel(2);
        let reader = {
            let bytes = bytes.to_vec();
            tokio::task::spawn_blocking(move || {
                stream_projects(&bytes, &UploadLimits::default(), block, &mut |streamed| {
                    sender.blocking_send(streamed).is_ok()
                })
            })
        };
        // The transaction begins once the header is found: on SQLite it holds the one writer
        // connection.
        let Some(Streamed::Head(head)) = blocks.recv().await else {
            read_to_end(reader).await?;
            return Err(ServiceError::Internal(
                "the import's reader sent no header".into(),
            ));
        };
        phase("header read");
        // Blocks are planned against the committed ledger (the ledger before the import) on a
        // task of their own, each while the one before it is written.
        let (planned_sender, mut planned_blocks) = tokio::sync::mpsc::channel(1);
        let planning = {
            let (services, ctx, head) = (self.clone(), ctx.clone(), head.clone());
            tokio::spawn(async move {
                let mut planner = services.planner().await?;
                while let Some(streamed) = blocks.recv().await {
                    let Streamed::Rows(rows) = streamed else {
                        continue;
                    };
                    let planned = services.plan_rows(&ctx, &mut planner, &head, &rows).await?;
                    // The writer stops listening when a write fails.
                    if planned_sender.send((rows.len(), planned)).await.is_err() {
                        break;
                    }
                }
                ServiceResult::Ok(())
            })
        };
        let ledger = self.store.project_count().await?;
        // A long transaction: on SQLite it commits alone, not in a group with quick edits.
        let mut tx = self.store.begin_long().await?;
        let mut deferred: Option<DeferredIndexes> = None;
        let mut report = ImportReport {
            sheet: head.sheet,
            unknown_columns: head.unknown_columns,
            rows: Vec::new(),
        };
        let mut write = Writer {
            tx: &mut tx,
            ctx,
            lookups: DraftLookups::default(),
            creation: None,
            written: 0,
            total: 0,
            progress,
        };
        let mut read = 0;
        loop {
            // Created rows' statements run as soon as they are bound; while none is ready, the
            // next planned block is taken in and its created rows handed to the binding
            // thread, which so goes on from block to block. At most one waits to be bound.
            tokio::select! {
                biased;
                Some(statement) = write.next_statement() => {
                    self.run_created(write.tx, statement?).await?;
                }
                planned = planned_blocks.recv(), if write.unbound() <= 1 => {
                    let Some((rows, planned)) = planned else {
                        break;
                    };
                    if deferred.is_none() {
                        deferred = Some(if first_load(rows, block, ledger) {
                            self.store.defer_indexes(write.tx).await?
                        } else {
                            DeferredIndexes::default()
                        });
                    }
                    read += rows;
                    progress(ImportProgress::Read { rows: read });
                    write.total += planned.iter().filter(|r| r.plan.is_some()).count();
                    let first = report.rows.len();
                    report.rows.extend(planned);
                    write.block(self, &report.rows[first..]).await?;
                    // The drafts are handed over: the report keeps what it says of each row.
                    for row in &mut report.rows[first..] {
                        row.plan = None;
                    }
                }
                // The binding thread stopped short: finishing says why.
                else => break,
            }
        }
        write.finish(self).await?;
        let (written, total) = (write.written, write.total);
        planning
            .await
            .map_err(|e| ServiceError::Internal(e.to_string()))??;
        // The file may turn out unreadable after some rows: nothing is committed then.
        read_to_end(reader).await?;
        phase("rows read and written");
        if let Some(deferred) = deferred.filter(|d| !d.is_empty()) {
            self.store.rebuild_indexes(&mut tx, deferred).await?;
            phase("indexes built");
        }
        progress(ImportProgress::Written { written, total });
        let counts = report.counts();
        let summary = [
            ("created", counts.created),
            ("updated", counts.updated),
            ("unchanged", counts.unchanged),
            ("rejected", counts.rejected),
        ]
        .into_iter()
        .map(|(field, n)| FieldChange::new(field, None::<&str>, Some(n.to_string())))
        .collect();
        self.record(
            &mut tx,
            ctx,
            "project.import",
            Object::new("project", 0),
            summary,
        )
        .await?;
        tx.commit().await?;
        phase("committed");
        Ok(report)
    }
}

/// Whether an import whose first block has `first` rows (of `block` at most) into a ledger of
/// `ledger` projects is a district's first import of its ledger: a long file (its first block
/// is most of a block, the title and header rows coming off it) into a ledger no larger than
/// that block. The ledger's indexes are then built once at the end rather than kept up row by
/// row.
fn first_load(first: usize, block: usize, ledger: i64) -> bool {
    first * 2 >= block && usize::try_from(ledger).is_ok_and(|n| n <= first)
}

/// Waits for the reader to finish; its error, if the file could not be read to the end.
async fn read_to_end(reader: JoinHandle<Result<(), ImportError>>) -> ServiceResult<()> {
    match reader.await {
        Ok(read) => read.map_err(|e| refused(e.message_key())),
        Err(e) => Err(ServiceError::Internal(e.to_string())),
    }
}

/// Writes the accepted rows in file order: created rows through one [`Creation`] from block
/// to block, an updated row once every row before it is written.
struct Writer<'a> {
    tx: &'a mut Tx,
    ctx: &'a Ctx,
    lookups: DraftLookups,
    creation: Option<Creation>,
    /// Rows written or handed over to be.
    written: usize,
    /// Rows to write, of the blocks so far.
    total: usize,
    progress: &'a (dyn Fn(ImportProgress) + Sync),
}

impl Writer<'_> {
    /// The next bound statement of the created rows; `None` when there is none to wait for.
    async fn next_statement(&mut self) -> Option<ServiceResult<Statement>> {
        match &mut self.creation {
            Some(creation) => creation.statement().await,
            None => None,
        }
    }

    /// Batches of created rows still being bound.
    fn unbound(&self) -> usize {
        self.creation.as_ref().map_or(0, Creation::unbound)
    }

    /// Writes, or hands over to be written, a block's accepted rows.
    async fn block(&mut self, services: &Services, rows: &[ImportRow]) -> ServiceResult<()> {
        let mut created: Vec<&ProjectDraft> = Vec::new();
        for row in rows {
            match &row.plan {
                Some((draft, None)) => created.push(draft),
                Some((draft, Some((id, version)))) => {
                    self.create(services, &mut created).await?;
                    // An update links its own audit record: what comes before it goes first.
                    self.finish(services).await?;
                    services
                        .update_project_in(
                            self.tx,
                            self.ctx,
                            *id,
                            *version,
                            draft,
                            false,
                            &mut self.lookups,
                        )
                        .await?;
                    self.written += 1;
                }
                None => {}
            }
        }
        self.create(services, &mut created).await?;
        (self.progress)(ImportProgress::Written {
            written: self.written,
            total: self.total,
        });
        Ok(())
    }

    /// Hands `created` over to be written.
    async fn create(
        &mut self,
        services: &Services,
        created: &mut Vec<&ProjectDraft>,
    ) -> ServiceResult<()> {
        if created.is_empty() {
            return Ok(());
        }
        let creation = match &mut self.creation {
            Some(creation) => creation,
            None => self
                .creation
                .insert(services.begin_creation(self.tx, self.ctx).await?),
        };
        self.written += services
            .create_more(self.tx, self.ctx, creation, created, &mut self.lookups)
            .await?;
        created.clear();
        Ok(())
    }

    /// Writes every created row handed over.
    async fn finish(&mut self, services: &Services) -> ServiceResult<()> {
        match self.creation.take() {
            Some(creation) => services.finish_creation(self.tx, creation).await,
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::first_load;

    #[test]
    fn a_first_load_is_a_long_file_into_a_ledger_no_larger_than_its_first_block() {
        assert!(
            first_load(9_997, 10_000, 0),
            "the whole ledger into an empty one"
        );
        assert!(first_load(9_997, 10_000, 9_997));
        assert!(
            !first_load(9_997, 10_000, 9_998),
            "a ledger larger than the block"
        );
        assert!(!first_load(200, 10_000, 0), "a short file");
        assert!(first_load(1, 1, 1), "blocks of one row");
    }
}
