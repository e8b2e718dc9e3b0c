//! The serializer behind [`super::Converter`]: a page's typed variables into the
//! `serde_json::Value` tree Tera reads, exactly as `serde_json::to_value` makes it, and in
//! the same pass the page's fingerprint encoding.
//!
//! A struct's object is a spare object of the same struct (given back by the previous page,
//! keys already allocated) or a copy of its skeleton, with its values put in by position,
//! instead of an object whose keys are hashed and inserted one by one. Strings and arrays
//! take spare buffers too.
//!
//! The encoding: a tag per kind of value, a length before every string, an end tag after
//! every array, map and struct, and after a struct the 128-bit hash of its list of field
//! names (the struct's keys are not written out: the program's identity is part of every
//! fingerprint, and a struct's keys are its field names less the skipped ones). Numbers are
//! written as the bits they were serialized from. So two different trees never give the same
//! bytes; two equal trees may (a `u8` and a `u64` of the same number), which costs at most
//! one render too many.

use serde::ser::{self, Serialize};
use serde_json::value::Serializer as JsonSerializer;
use serde_json::{Error, Map, Value};

use super::{Converter, NOT_A_SKELETON};

/// Converts into a [`Converter`]. `top`: this is the page itself, whose keys the converter
/// remembers (Tera's context keeps them in another order).
pub(super) struct Ser<'a> {
    pub(super) c: &'a mut Converter,
    pub(super) top: bool,
}

impl<'a> Ser<'a> {
    fn nested(c: &'a mut Converter) -> Ser<'a> {
        Ser { c, top: false }
    }
}

/// Values serde_json makes itself (its own structs and tokens, bytes): encoded from the
/// value it made, under their own tag.
fn by_serde_json(c: &mut Converter, v: Result<Value, Error>) -> Result<Value, Error> {
    let v = v?;
    c.enc.push(b'J');
    crate::render::reuse::encode_value(&v, &mut c.enc);
    if contains_object(&v) {
        // An object the tape does not know of: this tree is not given back.
        c.poisoned = true;
    }
    Ok(v)
}

fn contains_object(v: &Value) -> bool {
    match v {
        Value::Object(_) => true,
        Value::Array(a) => a.iter().any(contains_object),
        _ => false,
    }
}

macro_rules! number {
    ($($f:ident($t:ty) => $tag:literal as $w:ty;)*) => {
        $(fn $f(self, v: $t) -> Result<Value, Error> {
            self.c.word($tag, &(<$w>::from(v)).to_le_bytes());
            JsonSerializer.$f(v)
        })*
    };
}

impl<'a> Ser<'a> {
    /// `{variant: inner}`: the variant's name, then what `inner` makes.
    fn variant<T>(
        self,
        variant: &'static str,
        inner: impl FnOnce(Self) -> Result<T, Error>,
    ) -> Result<Variant<T>, Error> {
        self.c.bytes(b'<', variant.as_bytes());
        Ok(Variant {
            variant,
            inner: inner(self)?,
        })
    }
}

impl<'a> ser::Serializer for Ser<'a> {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Variant<Seq<'a>>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Struct<'a>;
    type SerializeStructVariant = Variant<Struct<'a>>;

    number! {
        serialize_i8(i8) => b'i' as i64;
        serialize_i16(i16) => b'i' as i64;
        serialize_i32(i32) => b'i' as i64;
        serialize_i64(i64) => b'i' as i64;
        serialize_i128(i128) => b'I' as i128;
        serialize_u8(u8) => b'u' as u64;
        serialize_u16(u16) => b'u' as u64;
        serialize_u32(u32) => b'u' as u64;
        serialize_u64(u64) => b'u' as u64;
        serialize_u128(u128) => b'U' as u128;
    }

    fn serialize_f32(self, v: f32) -> Result<Value, Error> {
        self.c.word(b'g', &v.to_bits().to_le_bytes());
        JsonSerializer.serialize_f32(v)
    }

    fn serialize_f64(self, v: f64) -> Result<Value, Error> {
        self.c.word(b'd', &v.to_bits().to_le_bytes());
        JsonSerializer.serialize_f64(v)
    }

    fn serialize_bool(self, v: bool) -> Result<Value, Error> {
        self.c.enc.push(if v { b't' } else { b'f' });
        Ok(Value::Bool(v))
    }

    fn serialize_char(self, v: char) -> Result<Value, Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<Value, Error> {
        self.c.bytes(b's', v.as_bytes());
        Ok(Value::String(self.c.string(v)))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<Value, Error> {
        by_serde_json(self.c, JsonSerializer.serialize_bytes(v))
    }

    fn serialize_none(self) -> Result<Value, Error> {
        self.c.enc.push(b'n');
        Ok(Value::Null)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Value, Error> {
        v.serialize(self)
    }

    fn serialize_unit(self) -> Result<Value, Error> {
        self.serialize_none()
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, Error> {
        self.serialize_none()
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value, Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<Value, Error> {
        if name.starts_with("$serde_json::") {
            // serde_json's own tokens (raw values).
            return by_serde_json(self.c, JsonSerializer.serialize_newtype_struct(name, v));
        }
        v.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<Value, Error> {
        // `{variant: value}`: the variant's name, then the value.
        self.c.bytes(b'<', variant.as_bytes());
        let inner = v.serialize(Ser::nested(&mut *self.c))?;
        Ok(wrap(self.c, variant, inner))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'a>, Error> {
        self.c.enc.push(b'[');
        let mut items = self.c.arrays.pop().unwrap_or_default();
        items.reserve(len.unwrap_or(0));
        Ok(Seq { c: self.c, items })
    }

    fn serialize_tuple(self, len: usize) -> Result<Seq<'a>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'a>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        self.variant(variant, |s| s.serialize_seq(Some(len)))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Object<'a>, Error> {
        self.c.enc.push(b'{');
        Ok(Object {
            map: Map::with_capacity(len.unwrap_or(0)),
            key: None,
            top: self.top,
            c: self.c,
        })
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Struct<'a>, Error> {
        let json = name
            .starts_with("$serde_json::")
            .then(|| JsonSerializer.serialize_struct(name, len))
            .transpose()?;
        let mut fields = self.c.spare_fields.pop().unwrap_or_default();
        fields.reserve(len);
        if json.is_none() {
            self.c.enc.push(b'(');
        }
        Ok(Struct {
            c: self.c,
            name,
            fields,
            json,
            top: self.top,
        })
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        // The variant's object is a struct named after the variant.
        self.variant(variant, |s| s.serialize_struct(variant, len))
    }
}

/// `{variant: inner}`, an object the tape knows as no struct's.
fn wrap(c: &mut Converter, variant: &str, inner: Value) -> Value {
    let mut m = Map::with_capacity(1);
    m.insert(variant.to_string(), inner);
    c.tape.push(NOT_A_SKELETON);
    Value::Object(m)
}

pub(super) struct Seq<'a> {
    c: &'a mut Converter,
    items: Vec<Value>,
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = Value;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        let v = v.serialize(Ser::nested(&mut *self.c))?;
        self.items.push(v);
        Ok(())
    }

    fn end(self) -> Result<Value, Error> {
        self.c.enc.push(b']');
        Ok(Value::Array(self.items))
    }
}

/// Tuples and tuple structs are arrays, made as a sequence is.
macro_rules! as_seq {
    ($($trait:ident::$method:ident;)*) => {
        $(impl ser::$trait for Seq<'_> {
            type Ok = Value;
            type Error = Error;

            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
                ser::SerializeSeq::serialize_element(self, v)
            }

            fn end(self) -> Result<Value, Error> {
                ser::SerializeSeq::end(self)
            }
        })*
    };
}

as_seq! {
    SerializeTuple::serialize_element;
    SerializeTupleStruct::serialize_field;
}

/// An enum variant with data: `{variant: inner}`.
pub(super) struct Variant<T> {
    variant: &'static str,
    inner: T,
}

impl<'a> ser::SerializeTupleVariant for Variant<Seq<'a>> {
    type Ok = Value;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(&mut self.inner, v)
    }

    fn end(self) -> Result<Value, Error> {
        let Seq { c, items } = self.inner;
        c.enc.push(b']');
        Ok(wrap(c, self.variant, Value::Array(items)))
    }
}

impl<'a> ser::SerializeStructVariant for Variant<Struct<'a>> {
    type Ok = Value;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, v)
    }

    fn end(self) -> Result<Value, Error> {
        let (c, inner) = self.inner.finish()?;
        Ok(wrap(c, self.variant, inner))
    }
}

/// A map (a flattened page, a hash map): keys inserted one by one, as serde_json does.
pub(super) struct Object<'a> {
    c: &'a mut Converter,
    map: Map<String, Value>,
    key: Option<String>,
    top: bool,
}

impl ser::SerializeMap for Object<'_> {
    type Ok = Value;
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        let key = match key.serialize(Ser::nested(&mut *self.c))? {
            Value::String(s) => s,
            other => other.to_string(),
        };
        if self.top {
            self.c.top_key(&key);
        }
        self.key = Some(key);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        let key = self.key.take().unwrap_or_default();
        let v = v.serialize(Ser::nested(&mut *self.c))?;
        if self.map.insert(key, v).is_some() {
            // A value the tape counted is gone.
            self.c.poisoned = true;
        }
        Ok(())
    }

    fn end(self) -> Result<Value, Error> {
        self.c.enc.push(b'}');
        self.c.tape.push(NOT_A_SKELETON);
        Ok(Value::Object(self.map))
    }
}

pub(super) struct Struct<'a> {
    c: &'a mut Converter,
    name: &'static str,
    fields: Vec<(&'static str, Value)>,
    /// serde_json's own structs (its arbitrary-precision numbers) are made by serde_json.
    json: Option<<JsonSerializer as ser::Serializer>::SerializeStruct>,
    /// This is the page itself: its keys are remembered.
    top: bool,
}

impl<'a> Struct<'a> {
    fn finish(self) -> Result<(&'a mut Converter, Value), Error> {
        let Struct {
            c,
            name,
            fields,
            json,
            top: _,
        } = self;
        if let Some(json_struct) = json {
            c.spare_fields.push(fields);
            let v = by_serde_json(c, ser::SerializeStruct::end(json_struct))?;
            return Ok((c, v));
        }
        let object = c.object(name, fields);
        Ok((c, Value::Object(object)))
    }
}

impl ser::SerializeStruct for Struct<'_> {
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
                if self.top {
                    self.c.top_key(key);
                }
                let v = v.serialize(Ser::nested(&mut *self.c))?;
                self.fields.push((key, v));
                Ok(())
            }
        }
    }

    fn end(self) -> Result<Value, Error> {
        Ok(self.finish()?.1)
    }
}
