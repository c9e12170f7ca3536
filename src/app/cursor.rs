//! A list cursor: every list (sidebar, members, popups) moves it the same way.

/// The cursor `cur` moved by `n` rows (negative: up), held within a list of `len` rows.
pub fn step(cur: usize, n: i32, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (cur as i64 + n as i64).clamp(0, len as i64 - 1) as usize
}
