//! The QQ face table and the emoji-reaction table, embedded from `assets/`.

use std::collections::HashMap;
use std::sync::OnceLock;

const FACES_TSV: &str = include_str!("../../assets/faces.tsv");
const REACTIONS_TSV: &str = include_str!("../../assets/emoji_reactions.tsv");

/// A system face: the id NapCat accepts and the Chinese name QQ shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Face {
    pub id: i64,
    pub name: &'static str,
}

/// A Unicode reaction QQ offers: decimal code point, the emoji, its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reaction {
    pub id: i64,
    pub emoji: &'static str,
    pub name: &'static str,
}

struct Tables {
    faces: Vec<Face>,
    by_id: HashMap<i64, usize>,
    by_name: HashMap<&'static str, usize>,
    reactions: Vec<Reaction>,
    reaction_by_id: HashMap<i64, usize>,
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let faces: Vec<Face> = data_lines(FACES_TSV)
            .filter_map(|cols| {
                Some(Face {
                    id: cols.first()?.parse().ok()?,
                    name: cols.get(1)?,
                })
            })
            .collect();
        let reactions: Vec<Reaction> = data_lines(REACTIONS_TSV)
            .filter_map(|cols| {
                Some(Reaction {
                    id: cols.first()?.parse().ok()?,
                    emoji: cols.get(1)?,
                    name: cols.get(2)?,
                })
            })
            .collect();
        let by_id = faces.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
        let mut by_name = HashMap::new();
        for (i, f) in faces.iter().enumerate() {
            by_name.entry(f.name).or_insert(i);
        }
        let reaction_by_id = reactions
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id, i))
            .collect();
        Tables {
            faces,
            by_id,
            by_name,
            reactions,
            reaction_by_id,
        }
    })
}

fn data_lines(tsv: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    tsv.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

/// Every face NapCat can send, in table order.
pub fn all() -> &'static [Face] {
    &tables().faces
}

/// The face with this id, if NapCat knows it.
pub fn by_id(id: i64) -> Option<Face> {
    let t = tables();
    t.by_id.get(&id).map(|&i| t.faces[i])
}

/// The face with exactly this name (e.g. `微笑`).
pub fn by_name(name: &str) -> Option<Face> {
    let t = tables();
    t.by_name.get(name).map(|&i| t.faces[i])
}

/// The name of a face id, if known.
pub fn name(id: i64) -> Option<&'static str> {
    by_id(id).map(|f| f.name)
}

/// Every Unicode reaction QQ offers.
pub fn reactions() -> &'static [Reaction] {
    &tables().reactions
}

/// How a reaction id (a face id, or a Unicode code point in decimal) looks: the emoji, or `[name]`.
pub fn reaction_label(id: &str) -> String {
    let Ok(n) = id.trim().parse::<i64>() else {
        return format!("[{id}]");
    };
    let t = tables();
    if let Some(&i) = t.reaction_by_id.get(&n) {
        return t.reactions[i].emoji.to_string();
    }
    if let Some(name) = name(n) {
        return format!("[{name}]");
    }
    match u32::try_from(n).ok().and_then(char::from_u32) {
        Some(c) if n > 255 => c.to_string(),
        _ => format!("[表情{n}]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_complete() {
        assert_eq!(all().len(), 329);
        assert_eq!(name(14), Some("微笑"));
        assert_eq!(by_name("微笑").map(|f| f.id), Some(14));
        assert_eq!(name(76), Some("赞"));
        assert_eq!(name(100_000), None);
        assert_eq!(reactions().len(), 165);
    }

    #[test]
    fn reaction_labels() {
        assert_eq!(reaction_label("128522"), "😊");
        assert_eq!(reaction_label("76"), "[赞]");
        assert_eq!(reaction_label("x"), "[x]");
    }
}
