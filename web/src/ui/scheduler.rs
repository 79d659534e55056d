//! When to ask the engine for an inference, and what an answer is worth. The newest input
//! wins: one request is in flight at a time, inputs that arrive meanwhile are folded into one
//! rerun, and answers to older inputs or from an older network are told apart. Plain state
//! with no DOM and no engine, so it is tested natively (`tests/inference_scheduler.rs`).

/// The request the engine is working on.
#[derive(Clone, Copy, Debug, PartialEq)]
struct InFlight {
    id: u64,
    sent_at_ms: f64,
    input_version: u64,
}

/// What an answer is worth, and whether to ask again.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Verdict {
    /// It was computed by the network now loaded (else it is only noise to drop).
    pub current_network: bool,
    /// It answers the newest input (an older input's result may show, but not clear the
    /// newest input's error).
    pub newest_input: bool,
    /// When its request was sent, if it was the one in flight.
    pub sent_at_ms: Option<f64>,
    /// An input or network came while it was in flight: ask again for the newest.
    pub rerun: bool,
}

#[derive(Debug, Default)]
pub struct InferenceScheduler {
    input_version: u64,
    in_flight: Option<InFlight>,
    rerun: bool,
    next_id: u64,
    /// Answers to requests sent before the current network was loaded are dropped.
    first_current_id: u64,
    network_ready: bool,
}

impl InferenceScheduler {
    /// A new input replaces the current one; returns its version.
    pub fn input_changed(&mut self) -> u64 {
        self.input_version += 1;
        self.input_version
    }

    pub fn input_version(&self) -> u64 {
        self.input_version
    }

    /// The network is being replaced: nothing runs until the new one is loaded, and an answer
    /// to a request sent before is the old network's, also when it comes before the new one is
    /// loaded (the worker answers it first).
    pub fn network_replaced(&mut self) {
        self.network_ready = false;
        self.first_current_id = self.next_id;
    }

    /// A new engine starts with no network and forgets what the old one was asked.
    pub fn engine_restarted(&mut self) {
        self.in_flight = None;
        self.rerun = false;
        self.network_ready = false;
    }

    /// The requested network is in place: later requests use it.
    pub fn network_loaded(&mut self) {
        self.network_ready = true;
        self.first_current_id = self.next_id;
        // A run on the old network still comes back (and is dropped): run again after it.
        self.rerun |= self.in_flight.is_some();
    }

    /// The id of a request to send now with the input `read` gives, or `None`: no network
    /// yet, no input, or one request in flight (then the newest input runs when it returns).
    pub fn next_request<T>(
        &mut self,
        now_ms: f64,
        read: impl FnOnce() -> Option<T>,
    ) -> Option<(u64, T)> {
        if !self.network_ready {
            return None;
        }
        if self.in_flight.is_some() {
            self.rerun = true;
            return None;
        }
        let input = read()?;
        let id = self.next_id;
        self.next_id += 1;
        self.in_flight = Some(InFlight {
            id,
            sent_at_ms: now_ms,
            input_version: self.input_version,
        });
        Some((id, input))
    }

    /// The engine answered request `id`.
    pub fn on_answer(&mut self, id: u64) -> Verdict {
        let mine = self.in_flight.filter(|in_flight| in_flight.id == id);
        if mine.is_some() {
            self.in_flight = None;
        }
        Verdict {
            current_network: id >= self.first_current_id,
            newest_input: mine.is_some_and(|m| m.input_version == self.input_version),
            sent_at_ms: mine.map(|m| m.sent_at_ms),
            rerun: std::mem::take(&mut self.rerun),
        }
    }
}
