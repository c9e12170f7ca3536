//! The terminal's size, asked of the terminal once and then kept by its resize events.
//!
//! crossterm's `terminal::size` opens `/dev/tty` on every call; asked once per frame, that open
//! and close were about 4% of the CPU of a message flood. The input reader stores the size each
//! resize event brings, and forgets it whenever it stops reading (an editor has the terminal),
//! so a resize it could not see is asked of the terminal again.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

/// Shared between the screen (which reads it per frame) and the input reader (which updates it).
#[derive(Debug, Clone, Default)]
pub struct TermSize(Arc<AtomicU32>);

/// Stands for "not known: ask the terminal".
const UNKNOWN: u32 = 0;

fn pack(w: u16, h: u16) -> u32 {
    (u32::from(w) << 16) | u32::from(h)
}

impl TermSize {
    /// Columns and rows: kept, or asked of the terminal when not known.
    pub fn get(&self) -> io::Result<(u16, u16)> {
        self.get_with(crossterm::terminal::size)
    }

    fn get_with(&self, ask: impl FnOnce() -> io::Result<(u16, u16)>) -> io::Result<(u16, u16)> {
        let v = self.0.load(Ordering::Acquire);
        if v != UNKNOWN {
            return Ok(((v >> 16) as u16, v as u16));
        }
        let (w, h) = ask()?;
        // A resize stored meanwhile wins: it is newer than the answer.
        let _ = self
            .0
            .compare_exchange(UNKNOWN, pack(w, h), Ordering::AcqRel, Ordering::Acquire);
        Ok((w, h))
    }

    /// The size a resize event reported.
    pub fn set(&self, w: u16, h: u16) {
        self.0.store(pack(w, h), Ordering::Release);
    }

    /// Forgets the size: the next read asks the terminal.
    pub fn forget(&self) {
        self.0.store(UNKNOWN, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_terminal_is_asked_once_then_resizes_and_forgetting_decide() {
        let s = TermSize::default();
        let mut asked = 0;
        let mut ask = |size| {
            asked += 1;
            Ok(size)
        };
        assert_eq!(s.get_with(|| ask((120, 40))).unwrap(), (120, 40));
        assert_eq!(s.get_with(|| ask((1, 1))).unwrap(), (120, 40));
        s.set(80, 24);
        assert_eq!(s.get_with(|| ask((1, 1))).unwrap(), (80, 24));
        s.forget();
        assert_eq!(s.get_with(|| ask((200, 60))).unwrap(), (200, 60));
        assert_eq!(asked, 2);
    }

    #[test]
    fn a_failing_terminal_is_asked_again() {
        let s = TermSize::default();
        assert!(s.get_with(|| Err(io::Error::other("no tty"))).is_err());
        assert_eq!(s.get_with(|| Ok((90, 30))).unwrap(), (90, 30));
    }
}
