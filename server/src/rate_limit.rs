//! Sign-in rate limiting: failed sign-ins per key (an email, a client address) within a
//! window, kept in the database so every replica counts the same failures.

use crate::db::Conn;
use crate::error::AppResult;
use crate::state::AppState;
use std::time::Duration;

const WINDOW: Duration = Duration::from_secs(300);
const MAX_FAILURES: usize = 10;

/// How long a key whose failures (milliseconds, ascending) are `failures` must wait at `now`
/// before trying again, or `None` when it may try now.
fn wait_after(failures: &[i64], now: i64) -> Option<Duration> {
    let window = WINDOW.as_millis() as i64;
    let recent: Vec<i64> = failures
        .iter()
        .copied()
        .filter(|at| now - at < window)
        .collect();
    // Allowed again once the failures within the window drop below the maximum.
    let oldest_that_counts = recent.len().checked_sub(MAX_FAILURES)?;
    let waited = now - recent[oldest_that_counts];
    Some(Duration::from_millis((window - waited) as u64))
}

/// The longest wait of any of `keys`, or `None` when none is limited.
pub async fn wait(conn: &mut Conn, keys: &[String]) -> AppResult<Option<Duration>> {
    let now = crate::util::now_ms();
    let mut longest = None;
    for key in keys {
        let failures: Vec<i64> = sqlx::query_scalar(
            "SELECT at_ms FROM sign_in_failures WHERE key = $1 AND at_ms > $2 ORDER BY at_ms",
        )
        .bind(key)
        .bind(now - WINDOW.as_millis() as i64)
        .fetch_all(&mut *conn)
        .await?;
        longest = longest.max(wait_after(&failures, now));
    }
    Ok(longest)
}

/// Records a failed sign-in for each key (and forgets failures older than the window).
pub async fn fail(state: &AppState, keys: &[String]) -> AppResult<()> {
    let now = crate::util::now_ms();
    let mut w = state.write().await?;
    sqlx::query("DELETE FROM sign_in_failures WHERE at_ms <= $1")
        .bind(now - WINDOW.as_millis() as i64)
        .execute(w.conn())
        .await?;
    for key in keys {
        sqlx::query("INSERT INTO sign_in_failures (key, at_ms) VALUES ($1, $2)")
            .bind(key)
            .bind(now)
            .execute(w.conn())
            .await?;
    }
    w.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limited_key_may_try_again_once_the_window_has_passed() {
        let start = 1_000_000i64;
        let at = |secs: i64| start + secs * 1000;
        let mut failures = Vec::new();
        for i in 0..MAX_FAILURES as i64 {
            assert_eq!(wait_after(&failures, start), None);
            failures.push(at(i));
        }
        // Limited until the first failure leaves the window, then free for one more try.
        assert_eq!(
            wait_after(&failures, at(10)),
            Some(WINDOW - Duration::from_secs(10))
        );
        assert_eq!(wait_after(&failures, at(299)), Some(Duration::from_secs(1)));
        assert_eq!(wait_after(&failures, at(300)), None);
        failures.push(at(300));
        assert_eq!(wait_after(&failures, at(300)), Some(Duration::from_secs(1)));
        assert_eq!(wait_after(&failures, at(309)), None);
        // Other keys are never affected.
        assert_eq!(wait_after(&[], at(10)), None);
    }
}
