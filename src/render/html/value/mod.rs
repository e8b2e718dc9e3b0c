//! A page's typed variables as the `serde_json::Value` tree Tera reads, with the page's
//! fingerprint encoding made in the same pass, and the tree taken back after rendering so
//! that the next page reuses its objects, strings and arrays.
//!
//! Why: a branch page is about 170 structs and 1,400 keys. Made afresh, every object is a
//! copy of its struct's keys (a `String` allocation per key) and every tree is freed key by
//! key after rendering; the fingerprint walked the finished tree again into a byte buffer.
//! Here the objects of a rendered page go back into a pool per struct ([`Converter::recycle`]),
//! and the next page's objects of that struct are those objects with only their values
//! replaced; emptied strings and arrays are reused likewise. Measured numbers are in
//! `docs/performance.md`, section "The page's variables".
//!
//! How an object finds its pool again: the converter writes down, for every object it makes,
//! which struct's it is (the tape), in the order the objects are finished — children before
//! their parent. Tera does not change the tree, so walking it back children first meets the
//! objects in the same order. The page's own keys are taken out of Tera's context in the
//! order they were made. Whatever could break that order (serde_json making an object
//! itself, a key given twice) marks the tree as not to be taken back.

mod ser;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;
use serde_json::{Error, Map, Value};

/// On the tape: an object that is no struct's (a map, a variant's wrapper).
const NOT_A_SKELETON: u32 = u32::MAX;

/// Spare strings kept at most (a branch page has a few thousand).
const MAX_SPARE_STRINGS: usize = 1 << 15;

/// A spare string longer than this is dropped rather than kept (a chart's SVG).
const MAX_SPARE_CAPACITY: usize = 1 << 14;

/// A struct's fields, an object of them with every value null to copy, the hash of the
/// field names for the fingerprint, and the objects of this struct given back.
struct Skeleton {
    fields: Vec<&'static str>,
    object: Map<String, Value>,
    id: [u8; 16],
    spare: Vec<Map<String, Value>>,
}

/// Hashes the address and length of a struct's name: a name is a `&'static str`, so one
/// struct always gives the same address, and hashing the text itself (with the standard
/// SipHash) cost more than copying the skeleton's values in.
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type Fields = Vec<(&'static str, Value)>;

/// Converts pages one after the other on one thread; see the module comment.
#[derive(Default)]
pub struct Converter {
    /// The fingerprint encoding of the page converted last.
    enc: Vec<u8>,
    skeletons: Vec<Skeleton>,
    /// By the address of the struct's name and its number of fields: indices into
    /// `skeletons` (more than one when a skipped field leaves another field list).
    by_name: HashMap<(usize, usize), Vec<u32>, BuildHasherDefault<AddressHasher>>,
    /// Emptied field lists to fill again.
    spare_fields: Vec<Fields>,
    strings: Vec<String>,
    arrays: Vec<Vec<Value>>,
    /// For every object made since the page began, in the order finished: its skeleton's
    /// index, or [`NOT_A_SKELETON`].
    tape: Vec<u32>,
    /// The page's own keys in the order made (`top_keys[..top_len]`; the strings are kept).
    top_keys: Vec<String>,
    top_len: usize,
    /// The tree of this page must not be taken back (see the module comment).
    poisoned: bool,
}

impl Converter {
    /// `page` as a JSON value, as `serde_json::to_value` gives it; its fingerprint encoding
    /// is then [`Self::encoding`].
    pub fn convert<T: Serialize + ?Sized>(&mut self, page: &T) -> Result<Value, Error> {
        self.enc.clear();
        self.tape.clear();
        self.top_len = 0;
        self.poisoned = false;
        page.serialize(ser::Ser { c: self, top: true })
    }

    /// The unambiguous encoding of the page converted last, for its fingerprint: two pages
    /// whose trees differ anywhere have different encodings.
    pub fn encoding(&self) -> &[u8] {
        &self.enc
    }

    /// Takes back the tree of the page converted last, after rendering: its objects,
    /// strings and arrays are kept for the next page.
    pub fn recycle(&mut self, tree: Value) {
        if self.poisoned {
            return;
        }
        let mut cursor = 0;
        self.give_back(tree, &mut cursor);
        debug_assert_eq!(cursor, self.tape.len(), "the tape was followed to its end");
    }

    /// [`Self::recycle`] of the page converted last, taken out of Tera's context it was
    /// moved into (which keeps the page's keys in another order).
    pub fn recycle_context(&mut self, mut context: tera::Context) {
        if self.poisoned {
            return;
        }
        let mut cursor = 0;
        for k in 0..self.top_len {
            let Some(v) = context.remove(&self.top_keys[k]) else {
                return;
            };
            self.give_back(v, &mut cursor);
        }
        // The page's own object, a map, is the last object finished.
        debug_assert_eq!(
            cursor + 1,
            self.tape.len(),
            "the tape was followed to its end"
        );
    }

    fn give_back(&mut self, v: Value, cursor: &mut usize) {
        match v {
            Value::String(s) => self.keep_string(s),
            Value::Array(mut items) => {
                for x in items.drain(..) {
                    self.give_back(x, cursor);
                }
                self.arrays.push(items);
            }
            Value::Object(mut m) => {
                for x in m.values_mut() {
                    let x = std::mem::take(x);
                    self.give_back(x, cursor);
                }
                let made_as = self.tape.get(*cursor).copied();
                *cursor += 1;
                match made_as {
                    Some(i) if i != NOT_A_SKELETON => {
                        let s = &mut self.skeletons[i as usize];
                        debug_assert!(
                            m.keys().map(String::as_str).eq(s.fields.iter().copied()),
                            "an object goes back to its own struct"
                        );
                        if m.len() == s.fields.len() {
                            s.spare.push(m);
                        }
                    }
                    _ => {
                        for (k, _) in m {
                            self.keep_string(k);
                        }
                    }
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    fn keep_string(&mut self, mut s: String) {
        if self.strings.len() < MAX_SPARE_STRINGS && s.capacity() <= MAX_SPARE_CAPACITY {
            s.clear();
            self.strings.push(s);
        }
    }

    /// A string of `text`, in a spare buffer when there is one.
    fn string(&mut self, text: &str) -> String {
        match self.strings.pop() {
            Some(mut s) => {
                s.push_str(text);
                s
            }
            None => text.to_string(),
        }
    }

    fn top_key(&mut self, key: &str) {
        match self.top_keys.get_mut(self.top_len) {
            Some(s) => {
                s.clear();
                s.push_str(key);
            }
            None => self.top_keys.push(key.to_string()),
        }
        self.top_len += 1;
    }

    /// Appends a tag and a length-prefixed byte string to the encoding. The length is one
    /// byte below 255, else 255 and eight bytes: most strings of a page are short, and every
    /// byte of the encoding is hashed.
    fn bytes(&mut self, tag: u8, b: &[u8]) {
        match u8::try_from(b.len()) {
            Ok(n) if n < u8::MAX => self.enc.extend_from_slice(&[tag, n]),
            _ => {
                self.enc.extend_from_slice(&[tag, u8::MAX]);
                self.enc.extend_from_slice(&(b.len() as u64).to_le_bytes());
            }
        }
        self.enc.extend_from_slice(b);
    }

    /// Appends a tag and a number's bytes to the encoding.
    fn word(&mut self, tag: u8, b: &[u8]) {
        self.enc.push(tag);
        self.enc.extend_from_slice(b);
    }

    /// The object of struct `name` with these fields (their values already converted and
    /// encoded); ends the struct's encoding.
    fn object(&mut self, name: &'static str, mut fields: Fields) -> Map<String, Value> {
        let key = (name.as_ptr() as usize, fields.len());
        let found = self.by_name.get(&key).and_then(|candidates| {
            candidates
                .iter()
                .copied()
                .find(|&i| same(&self.skeletons[i as usize].fields, &fields))
        });
        let (object, made_as) = match found {
            Some(i) => {
                let s = &mut self.skeletons[i as usize];
                let mut object = s.spare.pop().unwrap_or_else(|| s.object.clone());
                for (slot, (_, v)) in object.values_mut().zip(fields.drain(..)) {
                    // The slot is null (a skeleton's copy, or emptied when given back):
                    // nothing to drop, and no call to drop it.
                    let old = std::mem::replace(slot, v);
                    debug_assert!(old.is_null());
                    std::mem::forget(old);
                }
                self.enc.push(b')');
                self.enc.extend_from_slice(&s.id);
                (object, i)
            }
            None => self.new_object(key, &mut fields),
        };
        self.tape.push(made_as);
        self.spare_fields.push(fields);
        object
    }

    /// [`Self::object`] of a field list met for the first time: made as serde_json makes
    /// it, and kept as a skeleton when its fields are all different.
    fn new_object(
        &mut self,
        key: (usize, usize),
        fields: &mut Fields,
    ) -> (Map<String, Value>, u32) {
        let names: Vec<&'static str> = fields.iter().map(|(k, _)| *k).collect();
        let id = names_id(&names);
        self.enc.push(b')');
        self.enc.extend_from_slice(&id);
        let mut object = Map::with_capacity(fields.len());
        for (k, v) in fields.drain(..) {
            if object.insert(k.to_string(), v).is_some() {
                // A value the tape counted is gone.
                self.poisoned = true;
            }
        }
        let candidates = self.by_name.entry(key).or_default();
        // A few field lists per struct at most; past that, objects are made afresh.
        if object.len() != names.len() || candidates.len() >= 8 {
            return (object, NOT_A_SKELETON);
        }
        let i = self.skeletons.len() as u32;
        candidates.push(i);
        self.skeletons.push(Skeleton {
            fields: names,
            object: object.keys().map(|k| (k.clone(), Value::Null)).collect(),
            id,
            spare: Vec::new(),
        });
        (object, i)
    }
}

/// The hash standing for a struct's keys in the encoding: of its field names, each with its
/// length.
fn names_id(names: &[&str]) -> [u8; 16] {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for n in names {
        h.update(&(n.len() as u64).to_le_bytes());
        h.update(n.as_bytes());
    }
    h.digest128().to_le_bytes()
}

/// The same static text (the field names of one struct), or at least equal text.
fn same(a: &[&'static str], b: &[(&'static str, Value)]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, (y, _))| {
            (std::ptr::eq(x.as_ptr(), y.as_ptr()) && x.len() == y.len()) || x == y
        })
}

#[cfg(test)]
mod tests;
