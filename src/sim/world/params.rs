//! Reading action parameters the way NapCat's schema layer does: numbers or numeric strings for
//! ids, `"true"`/`"false"` for flags, missing required keys reported as retcode 1400.

use serde_json::{Map, Value};

use crate::onebot::lenient::{value_i64, value_string};

/// A failed action: retcode and message.
pub type Fail = (i64, String);

/// The result of one handler: `data` (None = no `data` key) or a failure.
pub type Reply = Result<Option<Value>, Fail>;

/// Retcode 1200: the handler failed, with NapCat's reason.
pub fn failed(reason: impl Into<String>) -> Fail {
    (1200, reason.into())
}

/// Retcode 1400 naming the keys that are missing, as TypeBox words it.
pub fn missing(keys: &[&str]) -> Fail {
    let lines: Vec<String> = keys
        .iter()
        .map(|k| format!("Key: {k}, Message: Expected required property"))
        .collect();
    (1400, lines.join("\n"))
}

/// Retcode 1400 for a key whose value has the wrong shape.
pub fn malformed(key: &str, expected: &str) -> Fail {
    (1400, format!("Key: {key}, Message: Expected {expected}"))
}

/// The `params` object of one action (anything but an object reads as empty).
pub struct Params<'a> {
    map: Option<&'a Map<String, Value>>,
}

impl<'a> Params<'a> {
    /// Wraps the raw params value.
    pub fn new(v: &'a Value) -> Params<'a> {
        Params { map: v.as_object() }
    }

    /// The value of a key; `null` counts as absent.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map?.get(key).filter(|v| !v.is_null())
    }

    /// True when the key is present and not null.
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Fails with 1400 unless every key is present.
    pub fn require(&self, keys: &[&str]) -> Result<(), Fail> {
        let absent: Vec<&str> = keys.iter().copied().filter(|k| !self.has(k)).collect();
        if absent.is_empty() {
            Ok(())
        } else {
            Err(missing(&absent))
        }
    }

    /// A required id (number or numeric string).
    pub fn id(&self, key: &str) -> Result<i64, Fail> {
        match self.get(key) {
            None => Err(missing(&[key])),
            Some(v) => value_i64(v).ok_or_else(|| malformed(key, "an integer or a numeric string")),
        }
    }

    /// An optional id; present but not numeric is a 1400.
    pub fn opt_id(&self, key: &str) -> Result<Option<i64>, Fail> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(v) => value_i64(v)
                .map(Some)
                .ok_or_else(|| malformed(key, "an integer or a numeric string")),
        }
    }

    /// The first of several spellings of an id that is present.
    pub fn id_any(&self, keys: &[&str]) -> Result<i64, Fail> {
        for k in keys {
            if self.has(k) {
                return self.id(k);
            }
        }
        Err(missing(&keys[..keys.len().min(1)]))
    }

    /// A required string (numbers are converted, like TypeBox's `Convert`).
    pub fn string(&self, key: &str) -> Result<String, Fail> {
        match self.get(key) {
            None => Err(missing(&[key])),
            Some(v) => value_string(v).ok_or_else(|| malformed(key, "string")),
        }
    }

    /// An optional string.
    pub fn opt_string(&self, key: &str) -> Option<String> {
        self.get(key).and_then(value_string)
    }

    /// The first of several spellings of a string that is present.
    pub fn string_any(&self, keys: &[&str]) -> Result<String, Fail> {
        keys.iter()
            .find_map(|k| self.opt_string(k))
            .ok_or_else(|| missing(&keys[..keys.len().min(1)]))
    }

    /// A flag: `true`/`false`, `"true"`/`"false"`, or a number (non-zero is true).
    pub fn flag(&self, key: &str, default: bool) -> bool {
        match self.get(key) {
            None => default,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => match s.trim() {
                "true" => true,
                "false" => false,
                other => other.parse::<i64>().map(|n| n != 0).unwrap_or(default),
            },
            Some(v) => value_i64(v).map(|n| n != 0).unwrap_or(default),
        }
    }

    /// An optional integer with a default.
    pub fn int(&self, key: &str, default: i64) -> Result<i64, Fail> {
        match self.get(key) {
            None => Ok(default),
            Some(v) => value_i64(v).ok_or_else(|| malformed(key, "integer")),
        }
    }

    /// The raw value of a required key.
    pub fn value(&self, key: &str) -> Result<&'a Value, Fail> {
        self.get(key).ok_or_else(|| missing(&[key]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_as_numbers_or_strings() {
        let v = json!({"a": 5, "b": "6", "c": "x", "d": null});
        let p = Params::new(&v);
        assert_eq!(p.id("a"), Ok(5));
        assert_eq!(p.id("b"), Ok(6));
        assert_eq!(p.id("c").unwrap_err().0, 1400);
        let e = p.id("d").unwrap_err();
        assert_eq!(e.0, 1400);
        assert!(e.1.contains("Key: d"));
    }

    #[test]
    fn missing_keys_are_all_named() {
        let v = json!({"group_id": 1});
        let e = Params::new(&v)
            .require(&["group_id", "user_id", "card"])
            .unwrap_err();
        assert_eq!(e.0, 1400);
        assert!(e.1.contains("user_id") && e.1.contains("card") && !e.1.contains("group_id"));
    }

    #[test]
    fn flags_in_every_spelling() {
        let v = json!({"a": true, "b": "false", "c": 0, "d": "true"});
        let p = Params::new(&v);
        assert!(p.flag("a", false));
        assert!(!p.flag("b", true));
        assert!(!p.flag("c", true));
        assert!(p.flag("d", false));
        assert!(p.flag("absent", true));
    }
}
