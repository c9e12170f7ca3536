//! A value remembered with what it was made from: made again only when that changes. For text
//! a frame would otherwise build the same way every time (key hints read from the keymap).

/// The last value made, with its key.
#[derive(Debug)]
pub struct Memo<K, V> {
    last: Option<(K, V)>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo { last: None }
    }
}

impl<K: PartialEq, V> Memo<K, V> {
    /// The value for `key`: the remembered one while the key is the same, else `make()`'s.
    pub fn get(&mut self, key: K, make: impl FnOnce() -> V) -> &V {
        if self.last.as_ref().is_some_and(|(k, _)| *k != key) {
            self.last = None;
        }
        &self.last.get_or_insert_with(|| (key, make())).1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_made_once_per_key() {
        let mut m = Memo::default();
        let mut made = 0;
        for key in [1, 1, 2, 2, 1] {
            m.get(key, || {
                made += 1;
                key * 10
            });
        }
        assert_eq!(made, 3);
        assert_eq!(*m.get(1, || 0), 10);
    }
}
