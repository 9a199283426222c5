//! When to try an ARM read again, and after how long.
//!
//! ARM throttles (429) and has transient failures (408, 500, 502, 503, 504);
//! its guidance is to wait `Retry-After` and retry. Only idempotent reads are
//! retried: a write that timed out may have happened, so repeating it blindly
//! could do it twice. The total wait is capped so a page never hangs on retries.
//! The decision is pure; the browser client does the sleeping.

/// Statuses worth another try for a read.
pub const RETRYABLE_STATUSES: [u16; 6] = [408, 429, 500, 502, 503, 504];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// The most time spent waiting between attempts, summed.
    pub max_total_wait_ms: u64,
    /// First back-off without `Retry-After`; doubles each attempt.
    pub base_delay_ms: u64,
    /// Largest single back-off without `Retry-After`.
    pub max_delay_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_attempts: 3, max_total_wait_ms: 20_000, base_delay_ms: 500, max_delay_ms: 8_000 }
    }
}

/// Why an attempt is not repeated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GiveUp {
    /// Not a read: writes are never retried blindly.
    NotIdempotent,
    /// The status is final (success, 4xx other than 408/429…).
    NotRetryable,
    /// `max_attempts` reached.
    OutOfAttempts,
    /// Waiting as asked would pass `max_total_wait_ms`.
    OutOfTime,
}

impl RetryPolicy {
    /// The wait before attempt `attempts_made + 1`, or why there is none. `read`:
    /// the request changes nothing (`ArmRequest::is_read`).
    ///
    /// `retry_after_ms` is the server's `Retry-After`, honoured as given: waiting
    /// less would only be throttled again, so when it does not fit in the
    /// remaining budget the client gives up and shows the error instead.
    pub fn next_delay(
        &self,
        read: bool,
        status: u16,
        attempts_made: u32,
        retry_after_ms: Option<u64>,
        waited_ms: u64,
    ) -> Result<u64, GiveUp> {
        if !read {
            return Err(GiveUp::NotIdempotent);
        }
        if !RETRYABLE_STATUSES.contains(&status) {
            return Err(GiveUp::NotRetryable);
        }
        if attempts_made >= self.max_attempts {
            return Err(GiveUp::OutOfAttempts);
        }
        let backoff = self.base_delay_ms.saturating_mul(1u64 << attempts_made.saturating_sub(1).min(20)).min(self.max_delay_ms);
        let delay = retry_after_ms.unwrap_or(backoff);
        if waited_ms.saturating_add(delay) > self.max_total_wait_ms {
            return Err(GiveUp::OutOfTime);
        }
        Ok(delay)
    }
}

/// `Retry-After` in milliseconds: delta-seconds (`"5"`) or an HTTP date
/// (`"Wed, 21 Oct 2015 07:28:00 GMT"`, relative to `now_unix`). Past dates mean 0.
pub fn parse_retry_after(value: &str, now_unix: i64) -> Option<u64> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(secs.saturating_mul(1000));
    }
    let at = parse_http_date(v)?;
    Some((at - now_unix).max(0) as u64 * 1000)
}

/// IMF-fixdate (RFC 9110 §5.6.7), the only form servers are to send.
fn parse_http_date(v: &str) -> Option<i64> {
    let (_, rest) = v.split_once(", ")?;
    let parts: Vec<&str> = rest.split(' ').collect();
    let [day, month, year, time, "GMT"] = parts.as_slice() else { return None };
    let month =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].iter().position(|m| m == month)? as i64 + 1;
    let (day, year): (i64, i64) = (day.parse().ok()?, year.parse().ok()?);
    let hms: Vec<i64> = time.split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let [h, m, s] = hms.as_slice() else { return None };
    if !(1..=31).contains(&day) || *h > 23 || *m > 59 || *s > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s)
}

/// Howard Hinnant's civil-to-days algorithm.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requests::{ArmRequest, Method};

    const P: RetryPolicy = RetryPolicy { max_attempts: 3, max_total_wait_ms: 20_000, base_delay_ms: 500, max_delay_ms: 8_000 };

    #[test]
    fn reads_are_retried_on_transient_statuses_with_doubling_backoff() {
        for status in RETRYABLE_STATUSES {
            assert_eq!(P.next_delay(true, status, 1, None, 0), Ok(500), "{status}");
        }
        assert_eq!(P.next_delay(true, 503, 2, None, 500), Ok(1000));
        assert_eq!(P.next_delay(true, 503, 3, None, 1500), Err(GiveUp::OutOfAttempts));
    }

    #[test]
    fn writes_and_final_statuses_are_not_retried() {
        for method in [Method::Put, Method::Patch, Method::Post, Method::Delete] {
            let write = ArmRequest::new(method, "/subscriptions/s/resourceGroups/g".into(), None);
            assert_eq!(P.next_delay(write.is_read(), 503, 1, None, 0), Err(GiveUp::NotIdempotent));
        }
        let query = crate::resource_graph::query_request("Resources", None);
        assert_eq!(P.next_delay(query.is_read(), 429, 1, Some(1_000), 0), Ok(1_000), "a Resource Graph query is a read");
        for status in [200, 400, 401, 403, 404, 409, 501] {
            assert_eq!(P.next_delay(true, status, 1, None, 0), Err(GiveUp::NotRetryable), "{status}");
        }
    }

    #[test]
    fn retry_after_is_honoured_and_the_total_wait_is_capped() {
        assert_eq!(P.next_delay(true, 429, 1, Some(3_000), 0), Ok(3_000));
        assert_eq!(P.next_delay(true, 429, 1, Some(0), 0), Ok(0));
        // 15 s already waited: another 6 s would pass the 20 s budget.
        assert_eq!(P.next_delay(true, 429, 2, Some(6_000), 15_000), Err(GiveUp::OutOfTime));
        assert_eq!(P.next_delay(true, 429, 1, Some(60_000), 0), Err(GiveUp::OutOfTime));
        let long = RetryPolicy { max_attempts: 10, ..P };
        assert_eq!(long.next_delay(true, 500, 6, None, 0), Ok(8_000), "back-off is capped");
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(parse_retry_after(" 7 ", 0), Some(7_000));
        // 1445412480 = Wed, 21 Oct 2015 07:28:00 GMT.
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1_445_412_470), Some(10_000));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1_445_412_490), Some(0));
        assert_eq!(parse_retry_after("soon", 0), None);
        assert_eq!(parse_retry_after("Wed, 32 Oct 2015 07:28:00 GMT", 0), None);
        assert_eq!(parse_retry_after("-1", 0), None);
    }
}
