//! A page's typed variables as the `serde_json::Value` Tera reads, made faster than
//! `serde_json::to_value`: a struct's object is a copy of the previous object of the same
//! struct, keys and all, with its values put in by position, instead of an object whose
//! keys are hashed and inserted one by one. A branch page has a struct per indicator row,
//! so this is most of what the conversion costs. Anything else is made as serde_json makes
//! it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::ser::{self, Serialize};
use serde_json::value::Serializer as JsonSerializer;
use serde_json::{Error, Map, Value};

/// `v` as a JSON value, as `serde_json::to_value` gives it.
pub fn to_value<T: Serialize + ?Sized>(v: &T) -> Result<Value, Error> {
    v.serialize(ValueSerializer)
}

/// A struct's fields and an object of them with every value null, to copy.
struct Skeleton {
    fields: Vec<&'static str>,
    object: Map<String, Value>,
}

/// Hashes the address and length of a struct's name: a name is a `&'static str`, so one
/// struct always gives the same address, and hashing the text itself (with the standard
/// SipHash, as before) cost more than copying the skeleton's values in.
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

thread_local! {
    /// By the address of the struct's name and its number of fields: the skeletons met on
    /// this thread.
    static SKELETONS: RefCell<HashMap<(usize, usize), Skeleton, BuildHasherDefault<AddressHasher>>> =
        RefCell::new(HashMap::default());
    /// Emptied field lists to fill again: a struct being converted takes one and gives it
    /// back at its end, instead of allocating its own (a branch page has about 170 structs).
    static SPARE: RefCell<Vec<Fields>> = const { RefCell::new(Vec::new()) };
}

/// The same static text (the field names of one struct), or at least equal text.
fn same(a: &[&'static str], b: &[(&'static str, Value)]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, (y, _))| {
            (std::ptr::eq(x.as_ptr(), y.as_ptr()) && x.len() == y.len()) || x == y
        })
}

struct ValueSerializer;

macro_rules! delegate {
    ($($f:ident($t:ty);)*) => {
        $(fn $f(self, v: $t) -> Result<Value, Error> {
            JsonSerializer.$f(v)
        })*
    };
}

impl ser::Serializer for ValueSerializer {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = Seq;
    type SerializeTuple = Seq;
    type SerializeTupleStruct = Seq;
    type SerializeTupleVariant = <JsonSerializer as ser::Serializer>::SerializeTupleVariant;
    type SerializeMap = Object;
    type SerializeStruct = Struct;
    type SerializeStructVariant = <JsonSerializer as ser::Serializer>::SerializeStructVariant;

    delegate! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_i128(i128);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_u128(u128);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
    }

    fn serialize_none(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Value, Error> {
        v.serialize(self)
    }

    fn serialize_unit(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, Error> {
        Ok(Value::Null)
    }

    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<Value, Error> {
        JsonSerializer.serialize_unit_variant(name, index, variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<Value, Error> {
        if name.starts_with("$serde_json::") {
            // serde_json's own tokens (raw values).
            return JsonSerializer.serialize_newtype_struct(name, v);
        }
        v.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<Value, Error> {
        JsonSerializer.serialize_newtype_variant(name, index, variant, v)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Seq, Error> {
        Ok(Seq(Vec::with_capacity(len.unwrap_or(0))))
    }

    fn serialize_tuple(self, len: usize) -> Result<Seq, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        JsonSerializer.serialize_tuple_variant(name, index, variant, len)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Object, Error> {
        Ok(Object {
            map: Map::new(),
            key: None,
        })
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Struct, Error> {
        let mut fields = SPARE.with_borrow_mut(Vec::pop).unwrap_or_default();
        fields.reserve(len);
        Ok(Struct {
            name,
            fields,
            json: name
                .starts_with("$serde_json::")
                .then(|| JsonSerializer.serialize_struct(name, len))
                .transpose()?,
        })
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        JsonSerializer.serialize_struct_variant(name, index, variant, len)
    }
}

struct Seq(Vec<Value>);

impl ser::SerializeSeq for Seq {
    type Ok = Value;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.0.push(to_value(v)?);
        Ok(())
    }

    fn end(self) -> Result<Value, Error> {
        Ok(Value::Array(self.0))
    }
}

impl ser::SerializeTuple for Seq {
    type Ok = Value;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, v)
    }

    fn end(self) -> Result<Value, Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Seq {
    type Ok = Value;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, v)
    }

    fn end(self) -> Result<Value, Error> {
        ser::SerializeSeq::end(self)
    }
}

/// A map (a flattened page, a hash map): keys inserted one by one, as serde_json does.
struct Object {
    map: Map<String, Value>,
    key: Option<String>,
}

impl ser::SerializeMap for Object {
    type Ok = Value;
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(match to_value(key)? {
            Value::String(s) => s,
            other => other.to_string(),
        });
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        let key = self.key.take().unwrap_or_default();
        self.map.insert(key, to_value(v)?);
        Ok(())
    }

    fn end(self) -> Result<Value, Error> {
        Ok(Value::Object(self.map))
    }
}

struct Struct {
    name: &'static str,
    fields: Fields,
    /// serde_json's own structs (its arbitrary-precision numbers) are made by serde_json.
    json: Option<<JsonSerializer as ser::Serializer>::SerializeStruct>,
}

impl ser::SerializeStruct for Struct {
    type Ok = Value;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        match &mut self.json {
            Some(json) => ser::SerializeStruct::serialize_field(json, key, v),
            None => {
                self.fields.push((key, to_value(v)?));
                Ok(())
            }
        }
    }

    fn end(self) -> Result<Value, Error> {
        let Struct {
            name,
            mut fields,
            json,
        } = self;
        if let Some(json) = json {
            return ser::SerializeStruct::end(json);
        }
        let key = (name.as_ptr() as usize, fields.len());
        let object = SKELETONS.with_borrow_mut(|cache| {
            if let Some(s) = cache.get(&key)
                && same(&s.fields, &fields)
            {
                let mut object = s.object.clone();
                for (slot, (_, v)) in object.values_mut().zip(fields.drain(..)) {
                    *slot = v;
                }
                return object;
            }
            let names: Vec<&'static str> = fields.iter().map(|(k, _)| *k).collect();
            let mut object = Map::with_capacity(fields.len());
            for (k, v) in fields.drain(..) {
                object.insert(k.to_string(), v);
            }
            // Only a struct whose fields are all different keeps its positions.
            if object.len() == names.len() {
                let skeleton = object.keys().map(|k| (k.clone(), Value::Null)).collect();
                cache.insert(
                    key,
                    Skeleton {
                        fields: names,
                        object: skeleton,
                    },
                );
            }
            object
        });
        SPARE.with_borrow_mut(|spare| spare.push(fields));
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    struct Row<'a> {
        id: &'a str,
        n: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        extra: Option<f64>,
        tags: Vec<&'a str>,
        inner: Option<Inner>,
    }

    #[derive(Serialize)]
    struct Inner {
        x: bool,
    }

    #[derive(Serialize)]
    struct Page<'a> {
        title: &'a str,
        #[serde(flatten)]
        rows: Rows<'a>,
    }

    #[derive(Serialize)]
    struct Rows<'a> {
        rows: Vec<Row<'a>>,
    }

    #[test]
    fn gives_what_serde_json_gives() {
        let rows = (0..5)
            .map(|i| Row {
                id: "a",
                n: i,
                extra: (i % 2 == 0).then_some(0.5),
                tags: vec!["x"; i],
                inner: (i > 2).then_some(Inner { x: true }),
            })
            .collect();
        let page = Page {
            title: "t",
            rows: Rows { rows },
        };
        // Twice: once making the skeletons, once copying them.
        for _ in 0..2 {
            let fast = to_value(&page).unwrap();
            let slow = serde_json::to_value(&page).unwrap();
            assert_eq!(fast, slow);
            assert_eq!(fast.to_string(), slow.to_string(), "the same order");
        }
        let n = serde_json::Number::from(7u64);
        assert_eq!(to_value(&n).unwrap(), serde_json::json!(7));
        assert_eq!(
            to_value(&serde_json::json!({"a": [1, "b"]})).unwrap(),
            serde_json::json!({"a": [1, "b"]})
        );
    }
}
