//! A channel for a worker thread that takes its work in batches: a plain [`Sender::send`] wakes
//! the receiver only when it is fast asleep (nothing to do), a [`Sender::send_now`] always.
//!
//! With `std::sync::mpsc` every send to a waiting receiver wakes its thread: in a flood of 200
//! messages a second the history threads woke 400 times a second to take one write each, which
//! cost the process about a sixth of its CPU in thread switches. Here the receiver waits for the
//! rest of a batch with [`Receiver::recv_until`], which plain sends do not interrupt, so a flood
//! wakes it once per batch; the first send after a quiet spell still wakes it at once, and urgent
//! sends (a flush, a read, a stop) are never delayed.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, TryRecvError};
use std::sync::{Arc, OnceLock};
use std::thread::Thread;
use std::time::Instant;

struct Shared {
    /// The receiver is parked with nothing to do: the next send wakes it.
    asleep: AtomicBool,
    /// The receiving thread, known from its first wait on.
    thread: OnceLock<Thread>,
    /// Live senders; the last one to go wakes the receiver so it sees the channel closed.
    senders: AtomicUsize,
}

impl Shared {
    fn wake(&self) {
        if let Some(t) = self.thread.get() {
            t.unpark();
        }
    }
}

/// The sending half; cheap to clone.
pub struct Sender<T> {
    tx: mpsc::Sender<T>,
    shared: Arc<Shared>,
}

/// The receiving half, used on one thread.
pub struct Receiver<T> {
    rx: mpsc::Receiver<T>,
    shared: Arc<Shared>,
}

/// Why [`Receiver::recv_until`] returned nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// The deadline passed.
    Timeout,
    /// Every sender is gone and the channel is empty.
    Closed,
}

/// A new channel.
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let (tx, rx) = mpsc::channel();
    let shared = Arc::new(Shared {
        asleep: AtomicBool::new(false),
        thread: OnceLock::new(),
        senders: AtomicUsize::new(1),
    });
    (
        Sender {
            tx,
            shared: shared.clone(),
        },
        Receiver { rx, shared },
    )
}

impl<T> Sender<T> {
    /// Queues `item`, waking the receiver only if it sleeps with nothing to do. Err(item) when
    /// the receiver is gone.
    pub fn send(&self, item: T) -> Result<(), T> {
        self.tx.send(item).map_err(|e| e.0)?;
        if self.shared.asleep.swap(false, Ordering::SeqCst) {
            self.shared.wake();
        }
        Ok(())
    }

    /// Queues `item` and wakes the receiver whatever it is waiting for.
    pub fn send_now(&self, item: T) -> Result<(), T> {
        self.tx.send(item).map_err(|e| e.0)?;
        self.shared.asleep.store(false, Ordering::SeqCst);
        self.shared.wake();
        Ok(())
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        self.shared.senders.fetch_add(1, Ordering::SeqCst);
        Sender {
            tx: self.tx.clone(),
            shared: self.shared.clone(),
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        if self.shared.senders.fetch_sub(1, Ordering::SeqCst) == 1 {
            // The channel is closed only once `tx` is dropped too, just after this: the receiver
            // may wake before that, find the channel still open and park again. It is woken
            // through `asleep` below only while it parks fast asleep, which it does after
            // looking at the channel, so it sees the close on its next look.
            self.shared.asleep.store(false, Ordering::SeqCst);
            self.shared.wake();
        }
    }
}

impl<T> Receiver<T> {
    fn register(&self) {
        self.shared.thread.get_or_init(std::thread::current);
    }

    /// What the channel has now: Some(Some(item)), Some(None) when it is closed, None when it
    /// is empty. Taking an item ends the sleep said through `asleep`.
    fn look(&self) -> Option<Option<T>> {
        match self.rx.try_recv() {
            Ok(item) => {
                self.shared.asleep.store(false, Ordering::SeqCst);
                Some(Some(item))
            }
            Err(TryRecvError::Disconnected) => Some(None),
            Err(TryRecvError::Empty) => None,
        }
    }

    /// The next item, waiting as long as it takes; None once every sender is gone.
    pub fn recv(&self) -> Option<T> {
        self.register();
        loop {
            if let Some(got) = self.look() {
                return got;
            }
            self.shared.asleep.store(true, Ordering::SeqCst);
            // Looked at again after saying so: a send between the two looks wakes the park.
            if let Some(got) = self.look() {
                return got;
            }
            if self.shared.senders.load(Ordering::SeqCst) == 0 {
                // The last sender is going: its `tx` drops in a moment; wait for that.
                std::thread::yield_now();
                continue;
            }
            std::thread::park();
        }
    }

    /// The next item if one comes before `deadline` or is sent with [`Sender::send_now`]; plain
    /// sends meanwhile wait for the deadline.
    pub fn recv_until(&self, deadline: Instant) -> Result<T, Wait> {
        self.register();
        loop {
            match self.rx.try_recv() {
                Ok(item) => return Ok(item),
                Err(TryRecvError::Disconnected) => return Err(Wait::Closed),
                Err(TryRecvError::Empty) => {}
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(Wait::Timeout);
            }
            if self.shared.senders.load(Ordering::SeqCst) == 0 {
                std::thread::yield_now();
                continue;
            }
            std::thread::park_timeout(deadline - now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_send_to_a_sleeping_receiver_wakes_it() {
        let (tx, rx) = channel();
        let t = std::thread::spawn(move || rx.recv());
        std::thread::sleep(Duration::from_millis(20));
        tx.send(7).unwrap();
        assert_eq!(t.join().unwrap(), Some(7));
    }

    #[test]
    fn plain_sends_wait_for_the_deadline_and_urgent_ones_do_not() {
        let (tx, rx) = channel::<u32>();
        let (seen_tx, seen) = mpsc::channel();
        let t = std::thread::spawn(move || {
            let first = rx.recv().unwrap();
            // Within a batch: a plain send does not wake the wait; the deadline ends it.
            let start = Instant::now();
            let mut got = vec![first];
            while let Ok(x) = rx.recv_until(start + Duration::from_secs(30)) {
                got.push(x);
                if x == 99 {
                    break;
                }
            }
            seen_tx.send(got).unwrap();
        });
        tx.send(1).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        tx.send(2).unwrap();
        tx.send_now(99).unwrap();
        let got = seen.recv_timeout(Duration::from_secs(20)).unwrap();
        assert_eq!(got, vec![1, 2, 99]);
        t.join().unwrap();
    }

    #[test]
    fn the_receiver_sees_the_channel_close_when_the_last_sender_goes() {
        let (tx, rx) = channel::<u32>();
        let tx2 = tx.clone();
        let t = std::thread::spawn(move || (rx.recv(), rx.recv()));
        tx.send(5).unwrap();
        drop(tx);
        std::thread::sleep(Duration::from_millis(20));
        drop(tx2);
        assert_eq!(t.join().unwrap(), (Some(5), None));
    }

    #[test]
    fn a_wait_within_a_batch_ends_when_every_sender_is_gone() {
        let (tx, rx) = channel::<u32>();
        let t = std::thread::spawn(move || rx.recv_until(Instant::now() + Duration::from_secs(30)));
        std::thread::sleep(Duration::from_millis(20));
        drop(tx);
        assert_eq!(t.join().unwrap(), Err(Wait::Closed));
    }
}
