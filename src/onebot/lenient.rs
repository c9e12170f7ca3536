//! Lenient readers for values NapCat sends as a number in one place and a string in another.

use serde::Deserializer;
use serde_json::Value;

/// A JSON scalar that may be a number or a numeric string.
enum NumOrStr {
    I(i64),
    U(u64),
    F(f64),
    S(String),
    B(bool),
    /// An array or object where a scalar was expected: skipped, read as absent.
    Other,
}

struct ScalarVisitor;

impl<'de> serde::de::Visitor<'de> for ScalarVisitor {
    type Value = Option<NumOrStr>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a number, a string, a bool or null")
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(NumOrStr::I(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(NumOrStr::U(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(NumOrStr::F(v)))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(NumOrStr::B(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(NumOrStr::S(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(NumOrStr::S(v)))
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
        while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Some(NumOrStr::Other))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
        while a
            .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Some(NumOrStr::Other))
    }
}

fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NumOrStr>, D::Error> {
    Ok(match d.deserialize_any(ScalarVisitor)? {
        Some(NumOrStr::Other) | None => None,
        v => v,
    })
}

impl NumOrStr {
    fn to_i64(&self) -> Option<i64> {
        match self {
            NumOrStr::I(v) => Some(*v),
            NumOrStr::U(v) => i64::try_from(*v).ok(),
            NumOrStr::F(v) if v.fract() == 0.0 => Some(*v as i64),
            NumOrStr::F(_) | NumOrStr::Other => None,
            NumOrStr::S(s) => s.trim().parse().ok(),
            NumOrStr::B(b) => Some(i64::from(*b)),
        }
    }
}

/// Reads an integer from a number or a numeric string; anything else (null, "", junk) is 0.
pub fn i64_or_zero<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(scalar(d)?.and_then(|v| v.to_i64()).unwrap_or(0))
}

/// Reads an optional integer from a number or a numeric string.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(scalar(d)?.and_then(|v| v.to_i64()))
}

/// Reads a string from a string, a number or a bool; null becomes "".
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(opt_string(d)?.unwrap_or_default())
}

/// Reads an optional string from a string, a number or a bool.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match scalar(d)? {
        None => None,
        Some(NumOrStr::S(s)) => Some(s),
        Some(NumOrStr::I(v)) => Some(v.to_string()),
        Some(NumOrStr::U(v)) => Some(v.to_string()),
        Some(NumOrStr::F(v)) => Some(v.to_string()),
        Some(NumOrStr::B(v)) => Some(v.to_string()),
        Some(NumOrStr::Other) => None,
    })
}

/// Reads a bool from a bool, 0/1 or "true"/"false"; anything else is false.
pub fn bool_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(opt_bool(d)?.unwrap_or(false))
}

/// Reads an optional bool from a bool, 0/1 or "true"/"false".
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match scalar(d)? {
        None => None,
        Some(NumOrStr::B(b)) => Some(b),
        Some(NumOrStr::S(s)) => match s.trim() {
            "true" | "1" => Some(true),
            "false" | "0" | "" => Some(false),
            _ => None,
        },
        Some(other) => other.to_i64().map(|v| v != 0),
    })
}

/// Integer view of a JSON value that may be a number or a numeric string.
pub fn value_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_u64().and_then(|u| i64::try_from(u).ok()))
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// String view of a JSON scalar (numbers and bools are printed); null and containers give None.
pub fn value_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "i64_or_zero")]
        a: i64,
        #[serde(default, deserialize_with = "opt_string")]
        b: Option<String>,
        #[serde(default, deserialize_with = "opt_bool")]
        c: Option<bool>,
    }

    #[test]
    fn numbers_and_strings_are_both_accepted() {
        let t: T = serde_json::from_str(r#"{"a":"42","b":7,"c":"true"}"#).unwrap();
        assert_eq!((t.a, t.b.as_deref(), t.c), (42, Some("7"), Some(true)));
        let t: T = serde_json::from_str(r#"{"a":42,"b":"x","c":1}"#).unwrap();
        assert_eq!((t.a, t.b.as_deref(), t.c), (42, Some("x"), Some(true)));
        let t: T = serde_json::from_str(r#"{"a":null,"b":null,"c":null}"#).unwrap();
        assert_eq!((t.a, t.b, t.c), (0, None, None));
        let t: T = serde_json::from_str(r#"{"a":"junk"}"#).unwrap();
        assert_eq!(t.a, 0);
        let t: T = serde_json::from_str(r#"{"a":18446744073709551615}"#).unwrap();
        assert_eq!(t.a, 0, "u64 beyond i64 is treated as unknown, not wrapped");
    }

    #[test]
    fn value_views() {
        assert_eq!(value_i64(&serde_json::json!("12")), Some(12));
        assert_eq!(value_i64(&serde_json::json!(12.0)), Some(12));
        assert_eq!(value_i64(&serde_json::json!([1])), None);
        assert_eq!(value_string(&serde_json::json!(5)).as_deref(), Some("5"));
    }
}
