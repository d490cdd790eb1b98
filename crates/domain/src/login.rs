//! Login rules: account lockout after repeated failures and session lifetimes.

use chrono::{DateTime, Duration, Utc};

/// Failed logins in a row that lock an account.
pub const MAX_FAILED_LOGINS: i64 = 5;
/// How long a locked account stays locked.
pub const LOCKOUT: Duration = Duration::minutes(15);

/// The lockout state of one account as stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LockoutState {
    pub failed_logins: i64,
    pub locked_until: Option<DateTime<Utc>>,
}

impl LockoutState {
    pub fn is_locked(&self, now: DateTime<Utc>) -> bool {
        self.locked_until.is_some_and(|until| now < until)
    }

    /// The state after one more failed login at `now`. A lock that has run out starts a new
    /// count; the failure that reaches the limit locks the account.
    pub fn after_failure(self, now: DateTime<Utc>) -> Self {
        let previous = if self.locked_until.is_some_and(|until| now >= until) {
            0
        } else {
            self.failed_logins
        };
        let failed_logins = previous + 1;
        let locked_until = if failed_logins >= MAX_FAILED_LOGINS {
            Some(now + LOCKOUT)
        } else {
            self.locked_until.filter(|until| now < *until)
        };
        Self {
            failed_logins,
            locked_until,
        }
    }

    /// The state after a successful login.
    pub fn after_success() -> Self {
        Self::default()
    }
}

/// How long a session lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionLimits {
    /// Ends a session nobody used for this long.
    pub idle: Duration,
    /// Ends every session this long after login, however busy.
    pub absolute: Duration,
}

impl Default for SessionLimits {
    fn default() -> Self {
        Self {
            idle: Duration::minutes(30),
            absolute: Duration::hours(8),
        }
    }
}

impl SessionLimits {
    pub fn is_expired(
        &self,
        created_at: DateTime<Utc>,
        last_seen_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> bool {
        now - last_seen_at >= self.idle || now - created_at >= self.absolute
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(minutes: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_600_000_000, 0).unwrap() + Duration::minutes(minutes)
    }

    #[test]
    fn five_failures_lock_for_fifteen_minutes() {
        let mut state = LockoutState::default();
        for _ in 0..4 {
            state = state.after_failure(t(0));
            assert!(!state.is_locked(t(0)));
        }
        state = state.after_failure(t(1));
        assert!(state.is_locked(t(1)));
        assert!(state.is_locked(t(15)));
        assert!(!state.is_locked(t(16)));
    }

    #[test]
    fn a_failure_after_the_lock_ran_out_starts_a_new_count() {
        let mut state = LockoutState::default();
        for _ in 0..5 {
            state = state.after_failure(t(0));
        }
        let state = state.after_failure(t(20));
        assert_eq!(state.failed_logins, 1);
        assert!(!state.is_locked(t(20)));
    }

    #[test]
    fn failures_while_locked_keep_the_lock() {
        let mut state = LockoutState::default();
        for _ in 0..5 {
            state = state.after_failure(t(0));
        }
        let state = state.after_failure(t(5));
        assert!(state.is_locked(t(5)));
    }

    #[test]
    fn sessions_end_when_idle_or_old() {
        let limits = SessionLimits::default();
        assert!(!limits.is_expired(t(0), t(0), t(29)));
        assert!(limits.is_expired(t(0), t(0), t(30)));
        assert!(!limits.is_expired(t(0), t(470), t(479)));
        assert!(limits.is_expired(t(0), t(470), t(480)));
    }
}
