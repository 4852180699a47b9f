//! Time as an input: when the next `102 Processing` is due (server side), and an idle deadline
//! that every interim response pushes back (client side). No clocks inside: pass `now` as a
//! [`Duration`] since any fixed origin (e.g. `Instant::now() - start`).

use core::time::Duration;

/// When the next heartbeat (`102 Processing`) is due.
///
/// ```
/// use core::time::Duration;
/// use h1x::HeartbeatSchedule;
/// let ms = Duration::from_millis;
/// let mut beat = HeartbeatSchedule::new(ms(1000));
/// beat.start(ms(0));
/// assert!(!beat.is_due(ms(999)));
/// assert!(beat.is_due(ms(1000)));
/// beat.sent(ms(1003)); // any 1xx sent counts as a heartbeat
/// assert_eq!(beat.next_due(), Some(ms(2003)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeartbeatSchedule {
    interval: Duration,
    next: Option<Duration>,
}

impl HeartbeatSchedule {
    /// A schedule with one heartbeat every `interval`, not yet started.
    pub const fn new(interval: Duration) -> Self {
        HeartbeatSchedule {
            interval,
            next: None,
        }
    }

    /// The interval.
    pub const fn interval(&self) -> Duration {
        self.interval
    }

    /// Start (or restart) counting from `now`: the first heartbeat is due one interval later.
    pub fn start(&mut self, now: Duration) {
        self.next = Some(now + self.interval);
    }

    /// Stop: nothing is due any more (the final response went out).
    pub fn stop(&mut self) {
        self.next = None;
    }

    /// When the next heartbeat is due, if running: sleep until then.
    pub const fn next_due(&self) -> Option<Duration> {
        self.next
    }

    /// How long from `now` until the next heartbeat (zero when overdue), if running.
    pub fn time_until_due(&self, now: Duration) -> Option<Duration> {
        self.next.map(|due| due.saturating_sub(now))
    }

    /// Whether a heartbeat is due at `now`.
    pub fn is_due(&self, now: Duration) -> bool {
        self.next.is_some_and(|due| now >= due)
    }

    /// Record that an interim response went out at `now`: the next is due one interval later.
    pub fn sent(&mut self, now: Duration) {
        if self.next.is_some() {
            self.next = Some(now + self.interval);
        }
    }

    /// If a heartbeat is due at `now`, record it as sent and return `true`.
    ///
    /// ```
    /// # use core::time::Duration;
    /// let mut beat = h1x::HeartbeatSchedule::new(Duration::from_secs(1));
    /// beat.start(Duration::ZERO);
    /// let sent: usize = (0..=5000).step_by(100).filter(|&t| beat.poll(Duration::from_millis(t))).count();
    /// assert_eq!(sent, 5);
    /// ```
    pub fn poll(&mut self, now: Duration) -> bool {
        let due = self.is_due(now);
        if due {
            self.sent(now);
        }
        due
    }
}

/// A client's idle deadline that each interim response extends: a 5 s idle timeout survives a
/// 30 s job with 1 s heartbeats, and expires 5 s after the heartbeats stop.
///
/// ```
/// use core::time::Duration;
/// use h1x::InterimDeadline;
/// let s = Duration::from_secs;
/// let mut deadline = InterimDeadline::new(s(5), s(0));
/// for t in 1..=30 {
///     assert!(!deadline.expired(s(t)));
///     deadline.extend(s(t)); // a 102 arrived
/// }
/// assert!(!deadline.expired(s(34)));
/// assert!(deadline.expired(s(35)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InterimDeadline {
    idle: Duration,
    deadline: Duration,
}

impl InterimDeadline {
    /// A deadline `idle` after `now` (when the request was sent).
    pub fn new(idle: Duration, now: Duration) -> Self {
        InterimDeadline {
            idle,
            deadline: now + idle,
        }
    }

    /// Something arrived at `now` (an interim response, or any bytes): push the deadline.
    pub fn extend(&mut self, now: Duration) {
        self.deadline = self.deadline.max(now + self.idle);
    }

    /// When it expires.
    pub const fn deadline(&self) -> Duration {
        self.deadline
    }

    /// Time left at `now` (zero once expired): use it as the socket read timeout.
    pub fn remaining(&self, now: Duration) -> Duration {
        self.deadline.saturating_sub(now)
    }

    /// Whether the deadline has passed at `now`.
    pub fn expired(&self, now: Duration) -> bool {
        now >= self.deadline
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn schedule_with_fake_clock() {
        let mut b = HeartbeatSchedule::new(ms(1000));
        assert!(!b.poll(ms(5000)), "not started");
        b.start(ms(100));
        assert_eq!(b.time_until_due(ms(600)), Some(ms(500)));
        assert!(b.poll(ms(1100)));
        assert!(!b.poll(ms(1500)));
        assert!(b.poll(ms(2600))); // late: next is counted from when it was sent
        assert_eq!(b.next_due(), Some(ms(3600)));
        b.stop();
        assert!(!b.poll(ms(10_000)));
        assert_eq!(b.time_until_due(ms(0)), None);
    }

    #[test]
    fn client_survives_heartbeats_and_times_out_without() {
        let idle = ms(5000);
        let mut d = InterimDeadline::new(idle, ms(0));
        let mut t = 0;
        while t < 30_000 {
            t += 1000;
            assert!(!d.expired(ms(t)));
            d.extend(ms(t));
        }
        assert_eq!(d.remaining(ms(t)), idle);
        assert!(!d.expired(ms(t + 4999)));
        assert!(d.expired(ms(t + 5000)));
        // extending with an older time never shortens it
        d.extend(ms(0));
        assert_eq!(d.deadline(), ms(t + 5000));
    }
}
