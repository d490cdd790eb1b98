//! The totals of a filtered ledger, kept until the ledger changes.
//!
//! A ledger page reads fifty rows, but its totals row sums everything its filter matches: a
//! few thousand roll-up rows for a district of 100,000 projects, most of the page's database
//! time. Leaders and wall screens open the same views again and again between edits, so on
//! SQLite the sums are kept per query against the ledger's change stamp (migration 0008),
//! which every write of a project moves on, in any process, and are summed again once it has
//! moved. A sum is never older than the stamp it is kept under: the stamp is read first.

use super::list::ProjectTotals;
use std::collections::HashMap;
use std::sync::Mutex;

/// Queries kept at most; the cache starts afresh when full (a district's saved views are a
/// few dozen).
const MAX_ENTRIES: usize = 1_024;

#[derive(Debug, Default)]
pub(crate) struct TotalsCache {
    entries: Mutex<HashMap<String, (i64, ProjectTotals)>>,
}

impl TotalsCache {
    /// The totals of `query` kept at ledger stamp `stamp`.
    pub(crate) fn get(&self, query: &str, stamp: i64) -> Option<ProjectTotals> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(query)
            .filter(|(kept, _)| *kept == stamp)
            .map(|(_, totals)| *totals)
    }

    /// Keeps `totals` of `query`, summed after the ledger stamp read `stamp`.
    pub(crate) fn put(&self, query: String, stamp: i64, totals: ProjectTotals) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(query, (stamp, totals));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn totals(count: i64) -> ProjectTotals {
        ProjectTotals {
            count,
            ..ProjectTotals::default()
        }
    }

    #[test]
    fn a_sum_is_kept_until_the_stamp_moves() {
        let cache = TotalsCache::default();
        assert_eq!(cache.get("q", 1), None);
        cache.put("q".into(), 1, totals(3));
        assert_eq!(cache.get("q", 1), Some(totals(3)));
        assert_eq!(cache.get("other", 1), None);
        assert_eq!(cache.get("q", 2), None);
    }

    #[test]
    fn a_full_cache_starts_afresh() {
        let cache = TotalsCache::default();
        for n in 0..=MAX_ENTRIES {
            cache.put(n.to_string(), 1, totals(1));
        }
        assert!(cache.entries.lock().unwrap().len() <= MAX_ENTRIES);
        assert_eq!(cache.get(&MAX_ENTRIES.to_string(), 1), Some(totals(1)));
    }
}
