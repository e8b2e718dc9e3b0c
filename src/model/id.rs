//! Ids as records hold them: shared, immutable and kept in small sorted arrays.
//!
//! A district has tens of thousands of records naming the same few hundred ids; each
//! record owning its own `String` per id, in a `BTreeMap` whose nodes have room for eleven
//! entries, made the ids and their maps most of the memory a loaded project takes.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// An id from the indicator system (a fact, survey, meeting kind, checklist item …).
/// Loading shares one allocation per id among all records of a year.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(Arc<str>);

impl Id {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Id {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Id {
        Id(Arc::from(s))
    }
}

impl From<String> for Id {
    fn from(s: String) -> Id {
        Id(Arc::from(s))
    }
}

impl From<&String> for Id {
    fn from(s: &String) -> Id {
        Id(Arc::from(s.as_str()))
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Id {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Id> for String {
    fn eq(&self, other: &Id) -> bool {
        **self == *other.0
    }
}

impl PartialEq<Id> for str {
    fn eq(&self, other: &Id) -> bool {
        *self == *other.0
    }
}

impl serde::Serialize for Id {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A map from ids, sorted by id like the `BTreeMap` it replaces (so the order a record
/// writes its entries in cannot matter), in one exactly sized allocation.
#[derive(Clone, PartialEq, Eq)]
pub struct IdMap<V> {
    entries: Vec<(Id, V)>,
}

impl<V> Default for IdMap<V> {
    fn default() -> Self {
        IdMap {
            entries: Vec::new(),
        }
    }
}

impl<V> IdMap<V> {
    fn find(&self, id: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.as_str().cmp(id))
    }

    pub fn get(&self, id: &str) -> Option<&V> {
        self.find(id).ok().map(|i| &self.entries[i].1)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut V> {
        self.find(id).ok().map(|i| &mut self.entries[i].1)
    }

    pub fn contains_key(&self, id: &str) -> bool {
        self.find(id).is_ok()
    }

    /// Sets the value of `id`; returns the one it replaces.
    pub fn insert(&mut self, id: impl Into<Id>, value: V) -> Option<V> {
        let id = id.into();
        match self.find(&id) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (id, value));
                None
            }
        }
    }

    /// The value of `id`, inserting `default` first when there is none.
    pub fn get_or_insert(&mut self, id: impl Into<Id>, default: V) -> &mut V {
        let id = id.into();
        let i = match self.find(&id) {
            Ok(i) => i,
            Err(i) => {
                self.entries.insert(i, (id, default));
                i
            }
        };
        &mut self.entries[i].1
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// In id order.
    pub fn iter(&self) -> impl Iterator<Item = (&Id, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &Id> {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// Gives back the room the map grew into while it was filled.
    pub fn shrink_to_fit(&mut self) {
        self.entries.shrink_to_fit();
    }
}

impl<V: fmt::Debug> fmt::Debug for IdMap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Into<Id>, V> FromIterator<(K, V)> for IdMap<V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = IdMap::default();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map.shrink_to_fit();
        map
    }
}

/// A set of ids, sorted like the `BTreeSet` it replaces. Shared, not copied, by the
/// score results that show it.
#[derive(Clone, PartialEq, Eq)]
pub struct IdSet {
    ids: Arc<[Id]>,
}

impl Default for IdSet {
    fn default() -> Self {
        IdSet { ids: Arc::new([]) }
    }
}

impl IdSet {
    /// Takes `&String` as well as `&str`, like `BTreeSet<String>::contains`.
    pub fn contains<Q: AsRef<str> + ?Sized>(&self, id: &Q) -> bool {
        let id = id.as_ref();
        self.ids.binary_search_by(|k| k.as_str().cmp(id)).is_ok()
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// In id order.
    pub fn iter(&self) -> impl Iterator<Item = &Id> {
        self.ids.iter()
    }
}

impl fmt::Debug for IdSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.ids.iter()).finish()
    }
}

impl<K: Into<Id>> FromIterator<K> for IdSet {
    fn from_iter<I: IntoIterator<Item = K>>(iter: I) -> Self {
        let mut ids: Vec<Id> = iter.into_iter().map(Into::into).collect();
        ids.sort();
        ids.dedup();
        IdSet { ids: ids.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_stays_sorted_and_replaces() {
        let mut m = IdMap::default();
        assert_eq!(m.insert("b", 2), None);
        assert_eq!(m.insert("a", 1), None);
        assert_eq!(m.insert("c", 3), None);
        assert_eq!(m.insert("b", 20), Some(2));
        *m.get_or_insert("a", 0) += 10;
        *m.get_or_insert("d", 4) += 0;
        let keys: Vec<&str> = m.keys().map(Id::as_str).collect();
        assert_eq!(keys, ["a", "b", "c", "d"]);
        assert_eq!(m.get("a"), Some(&11));
        assert_eq!(m.get("b"), Some(&20));
        assert_eq!(m.get("e"), None);
        assert!(m.contains_key("d"));
        assert_eq!(m.len(), 4);
    }

    #[test]
    fn set_sorts_and_dedups() {
        let s: IdSet = ["z", "a", "m", "a"].into_iter().collect();
        let ids: Vec<&str> = s.iter().map(Id::as_str).collect();
        assert_eq!(ids, ["a", "m", "z"]);
        assert!(s.contains("m") && !s.contains("b"));
        assert_eq!(Id::from("x"), *"x");
        assert_eq!(Id::from("x"), "x".to_string());
    }
}
