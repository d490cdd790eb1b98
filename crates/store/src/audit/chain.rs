//! Linking records to the audit chain without the database: each gets the next sequence
//! number and its hash from the one before, ready to write.

use super::NewAuditRecord;
use districtops_domain::audit::{AuditContent, ChainAlgorithm, chain_hash};

/// The end of the audit chain inside a write transaction
/// ([`Store::audit_chain`](crate::Store::audit_chain)): records are linked to it one after
/// another, without the database, then written together.
pub struct AuditChain {
    pub(super) algorithm: ChainAlgorithm,
    /// The chain's HMAC key (left out of `Debug`).
    pub(super) key: Vec<u8>,
    /// The last record's sequence number and hash (0 and empty before the first).
    pub(super) seq: i64,
    pub(super) hash: String,
}

/// A [`FieldChange`](districtops_domain::audit::FieldChange) as stored: a value that is
/// absent is left out rather than written as `null` (a created project's record lists some
/// thirty fields, none with a value before), and reads back as absent. The chain hashes the
/// record's canonical bytes, not this text.
#[derive(serde::Serialize)]
struct StoredChange<'a> {
    field: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    before: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    after: Option<&'a str>,
}

/// A record linked to the chain, ready to write.
#[derive(Clone, Debug)]
pub struct LinkedAudit {
    pub(super) content: AuditContent,
    /// `content.changes` as stored.
    pub(super) changes: String,
    pub(super) algorithm: ChainAlgorithm,
    pub(super) prev_hash: String,
    pub(super) hash: String,
}

impl std::fmt::Debug for AuditChain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditChain")
            .field("algorithm", &self.algorithm)
            .field("seq", &self.seq)
            .field("hash", &self.hash)
            .finish_non_exhaustive()
    }
}

impl AuditChain {
    /// Gives `record` the next sequence number and its hash, chained to the one before.
    pub fn link(&mut self, record: NewAuditRecord) -> LinkedAudit {
        self.seq += 1;
        let content = AuditContent {
            seq: self.seq,
            at: record.at,
            user_id: record.user_id,
            username: record.username,
            ip: record.ip,
            action: record.action,
            object_type: record.object_type,
            object_id: record.object_id,
            outcome: record.outcome,
            changes: record.changes,
        };
        let hash = chain_hash(self.algorithm, &self.key, &self.hash, &content);
        let stored: Vec<StoredChange<'_>> = content
            .changes
            .iter()
            .map(|c| StoredChange {
                field: &c.field,
                before: c.before.as_deref(),
                after: c.after.as_deref(),
            })
            .collect();
        let changes = serde_json::to_string(&stored).expect("changes serialise");
        let prev_hash = std::mem::replace(&mut self.hash, hash.clone());
        LinkedAudit {
            content,
            changes,
            algorithm: self.algorithm,
            prev_hash,
            hash,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use districtops_domain::audit::Outcome;

    #[test]
    fn records_link_one_after_another_and_the_key_stays_out_of_debug() {
        let mut chain = AuditChain {
            algorithm: ChainAlgorithm::Sm3,
            key: b"k3y-never-printed".to_vec(),
            seq: 41,
            hash: "ab".into(),
        };
        let record = || NewAuditRecord {
            at: chrono::DateTime::UNIX_EPOCH,
            user_id: None,
            username: None,
            ip: None,
            action: "project.create".into(),
            object_type: None,
            object_id: None,
            outcome: Outcome::Success,
            changes: Vec::new(),
        };
        let first = chain.link(record());
        let second = chain.link(record());
        assert_eq!((first.content.seq, first.prev_hash.as_str()), (42, "ab"));
        assert_eq!(second.prev_hash, first.hash);
        assert_eq!((chain.seq, &chain.hash), (43, &second.hash));
        let shown = format!("{chain:?}");
        let key = format!("{:?}", b"k3y-never-printed".to_vec());
        assert!(!shown.contains("key") && !shown.contains(&key), "{shown}");
    }
}
