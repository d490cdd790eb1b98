//! The audit record and its hash chain.
//!
//! Every record carries `hash = HMAC(key, previous hash ‖ canonical bytes of the record)`, with
//! SM3 (GB/T 32905) or SHA-256 as the hash. Changing, removing or reordering any record breaks
//! every link after it, and without the key nobody can forge a new chain.

use chrono::{DateTime, SecondsFormat, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};

/// The hash function of the chain.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChainAlgorithm {
    #[default]
    Sm3,
    Sha256,
}

impl ChainAlgorithm {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sm3 => "sm3",
            Self::Sha256 => "sha256",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "sm3" => Some(Self::Sm3),
            "sha256" => Some(Self::Sha256),
            _ => None,
        }
    }
}

/// Whether the action succeeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Success,
    Failure,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Failure => "failure",
        }
    }
}

/// One changed field: its value before and after (absent for a create or a delete).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl FieldChange {
    pub fn new(field: &str, before: Option<impl ToString>, after: Option<impl ToString>) -> Self {
        Self {
            field: field.to_owned(),
            before: before.map(|v| v.to_string()),
            after: after.map(|v| v.to_string()),
        }
    }
}

/// The content of an audit record, as hashed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditContent {
    pub seq: i64,
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

impl AuditContent {
    /// The canonical bytes hashed for the chain: a fixed field order with lengths, so no two
    /// different records share an encoding.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        use std::io::Write as _;
        let mut out = Vec::with_capacity(256 + 48 * self.changes.len());
        // Lengths and numbers are written in place: a record of a new project has some thirty
        // changes, and an import hashes 100,000 of them.
        let mut put = |value: Option<&str>| match value {
            None => out.extend_from_slice(b"-;"),
            Some(text) => {
                let _ = write!(out, "{}:", text.len());
                out.extend_from_slice(text.as_bytes());
                out.push(b';');
            }
        };
        put(Some(&self.seq.to_string()));
        put(Some(&self.at.to_rfc3339_opts(SecondsFormat::Micros, true)));
        put(self.user_id.map(|id| id.to_string()).as_deref());
        put(self.username.as_deref());
        put(self.ip.as_deref());
        put(Some(&self.action));
        put(self.object_type.as_deref());
        put(self.object_id.as_deref());
        put(Some(self.outcome.as_str()));
        put(Some(&self.changes.len().to_string()));
        for change in &self.changes {
            put(Some(&change.field));
            put(change.before.as_deref());
            put(change.after.as_deref());
        }
        out
    }
}

/// Computes the chain hash of a record from the previous record's hash (empty for the first).
pub fn chain_hash(
    algorithm: ChainAlgorithm,
    key: &[u8],
    previous: &str,
    content: &AuditContent,
) -> String {
    fn run<M: Mac + hmac::digest::KeyInit>(key: &[u8], previous: &str, body: &[u8]) -> String {
        let mut mac = <M as hmac::digest::KeyInit>::new_from_slice(key)
            .expect("HMAC accepts keys of any length");
        mac.update(previous.as_bytes());
        mac.update(b"|");
        mac.update(body);
        hex::encode(mac.finalize().into_bytes())
    }
    let body = content.canonical_bytes();
    match algorithm {
        ChainAlgorithm::Sm3 => run::<Hmac<sm3::Sm3>>(key, previous, &body),
        ChainAlgorithm::Sha256 => run::<Hmac<sha2::Sha256>>(key, previous, &body),
    }
}

/// A stored record: its content and the hash it was stored with.
#[derive(Clone, Debug)]
pub struct ChainedRecord {
    pub content: AuditContent,
    pub algorithm: ChainAlgorithm,
    pub prev_hash: String,
    pub hash: String,
}

/// Where a chain breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainBreak {
    /// The record's own hash does not match its content: the record was changed.
    Altered { seq: i64 },
    /// The record does not point at the record before it: a record was removed or inserted.
    Unlinked { seq: i64 },
    /// Sequence numbers skip: a record was removed.
    Gap { after: i64, next: i64 },
}

/// Walks records in sequence order, returning the first broken link.
pub fn verify_chain<'a>(
    key: &[u8],
    records: impl IntoIterator<Item = &'a ChainedRecord>,
) -> Result<u64, ChainBreak> {
    let mut previous: Option<&ChainedRecord> = None;
    let mut checked = 0;
    for record in records {
        let seq = record.content.seq;
        if let Some(prev) = previous {
            if seq != prev.content.seq + 1 {
                return Err(ChainBreak::Gap {
                    after: prev.content.seq,
                    next: seq,
                });
            }
            if record.prev_hash != prev.hash {
                return Err(ChainBreak::Unlinked { seq });
            }
        } else if seq == 1 && !record.prev_hash.is_empty() {
            return Err(ChainBreak::Unlinked { seq });
        }
        let expected = chain_hash(record.algorithm, key, &record.prev_hash, &record.content);
        if expected != record.hash {
            return Err(ChainBreak::Altered { seq });
        }
        previous = Some(record);
        checked += 1;
    }
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"test key";

    fn content(seq: i64, action: &str) -> AuditContent {
        AuditContent {
            seq,
            at: DateTime::<Utc>::from_timestamp(1_600_000_000 + seq, 0).unwrap(),
            user_id: Some(1),
            username: Some("admin".into()),
            ip: Some("127.0.0.1".into()),
            action: action.into(),
            object_type: Some("user".into()),
            object_id: Some("7".into()),
            outcome: Outcome::Success,
            changes: vec![FieldChange::new("display_name", Some("张三"), Some("李四"))],
        }
    }

    fn chain(n: i64, algorithm: ChainAlgorithm) -> Vec<ChainedRecord> {
        let mut out: Vec<ChainedRecord> = Vec::new();
        for seq in 1..=n {
            let prev_hash = out.last().map(|r| r.hash.clone()).unwrap_or_default();
            let content = content(seq, "user.update");
            let hash = chain_hash(algorithm, KEY, &prev_hash, &content);
            out.push(ChainedRecord {
                content,
                algorithm,
                prev_hash,
                hash,
            });
        }
        out
    }

    #[test]
    fn sm3_matches_the_standard_test_vector() {
        // GB/T 32905-2016 appendix A, example 1: SM3("abc").
        use sm3::Digest;
        let digest = hex::encode(sm3::Sm3::digest(b"abc"));
        assert_eq!(
            digest,
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }

    #[test]
    fn an_intact_chain_verifies() {
        for algorithm in [ChainAlgorithm::Sm3, ChainAlgorithm::Sha256] {
            assert_eq!(verify_chain(KEY, &chain(5, algorithm)), Ok(5));
        }
    }

    #[test]
    fn a_changed_record_is_found() {
        let mut records = chain(5, ChainAlgorithm::Sm3);
        records[2].content.changes[0].after = Some("王五".into());
        assert_eq!(
            verify_chain(KEY, &records),
            Err(ChainBreak::Altered { seq: 3 })
        );
    }

    #[test]
    fn a_removed_record_is_found() {
        let mut records = chain(5, ChainAlgorithm::Sm3);
        records.remove(3);
        assert_eq!(
            verify_chain(KEY, &records),
            Err(ChainBreak::Gap { after: 3, next: 5 })
        );
    }

    #[test]
    fn a_wrong_key_fails_the_first_record() {
        let records = chain(2, ChainAlgorithm::Sha256);
        assert_eq!(
            verify_chain(b"other", &records),
            Err(ChainBreak::Altered { seq: 1 })
        );
    }

    #[test]
    fn canonical_bytes_separate_fields_unambiguously() {
        let mut a = content(1, "x");
        let mut b = content(1, "x");
        a.username = Some("ab".into());
        a.ip = Some("c".into());
        b.username = Some("a".into());
        b.ip = Some("bc".into());
        assert_ne!(a.canonical_bytes(), b.canonical_bytes());
    }

    /// What the chain hashes may never change: records stored years ago must still verify.
    #[test]
    fn canonical_bytes_and_hashes_stay_as_stored() {
        let mut record = content(12, "project.create");
        record
            .changes
            .push(FieldChange::new("code", None::<&str>, Some("HY-1")));
        let bytes = String::from_utf8(record.canonical_bytes()).unwrap();
        assert_eq!(
            bytes,
            "2:12;27:2020-09-13T12:26:52.000000Z;1:1;5:admin;9:127.0.0.1;14:project.create;\
             4:user;1:7;7:success;1:2;12:display_name;6:张三;6:李四;4:code;-;4:HY-1;"
        );
        let sm3 = chain_hash(ChainAlgorithm::Sm3, KEY, "ab12", &record);
        let sha256 = chain_hash(ChainAlgorithm::Sha256, KEY, "ab12", &record);
        assert_eq!(
            (sm3.as_str(), sha256.as_str()),
            (
                "d397c9d0bce30a4b0dc0041199fa84ab6e0bc238a1727f3220c8e46ec255a163",
                "6f8d222a439eec1983369b58eb39c3f025a1c972dd86b31691840a0f48f0861c"
            )
        );
    }
}
