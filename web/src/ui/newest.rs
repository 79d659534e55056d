//! One request of a kind in flight, the newest wins: a view that asks the engine for something
//! about the current input (the comparison, the shift curves) asks again when the input changed
//! while its request ran, and drops answers to older requests.

use std::cell::Cell;

#[derive(Default)]
pub struct NewestRequest {
    asked: Cell<u64>,
    in_flight: Cell<bool>,
    /// Something changed while a request ran: ask again when it returns.
    stale: Cell<bool>,
}

impl NewestRequest {
    pub const fn new() -> Self {
        Self {
            asked: Cell::new(0),
            in_flight: Cell::new(false),
            stale: Cell::new(false),
        }
    }

    /// The id of a request to send now, or `None`: one is in flight (it runs again after).
    pub fn start(&self) -> Option<u64> {
        if self.in_flight.get() {
            self.stale.set(true);
            return None;
        }
        let id = self.asked.get() + 1;
        self.asked.set(id);
        self.in_flight.set(true);
        Some(id)
    }

    /// Request `id` was answered: whether the answer is the newest, and whether to ask again.
    pub fn finish(&self, id: u64) -> (bool, bool) {
        self.in_flight.set(false);
        (id == self.asked.get(), self.stale.replace(false))
    }
}
