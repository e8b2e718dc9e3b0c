//! Text a reader sees ([`Text`]) apart from ids, paths and keys, and where the user's part
//! of it was written ([`Source`]): what the PDF stage needs to replace the characters no
//! font can draw and to say where each was written, without a list of key names and
//! without reading the input again.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Serialize, Serializer};

use crate::diagnostics::Pos;

/// A string printed on a page or in a PDF: a name, a label, a sentence, a chart. Ids, file
/// paths and fixed keys are plain `&str`/`String` and are never shown. Serialises as the
/// string, through the replacement installed by [`replacing`] when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text<'a>(pub Cow<'a, str>);

impl Text<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'a> From<&'a str> for Text<'a> {
    fn from(s: &'a str) -> Text<'a> {
        Text(Cow::Borrowed(s))
    }
}

impl<'a> From<&'a String> for Text<'a> {
    fn from(s: &'a String) -> Text<'a> {
        Text(Cow::Borrowed(s.as_str()))
    }
}

impl From<String> for Text<'_> {
    fn from(s: String) -> Self {
        Text(Cow::Owned(s))
    }
}

type Replace = Box<dyn FnMut(&str) -> Option<String>>;

thread_local! {
    /// The replacement of shown text while a document is serialised for typst.
    static REPLACE: RefCell<Option<Replace>> = const { RefCell::new(None) };
    /// Whether there is one: a page of the site asks this for each of its texts.
    static REPLACING: Cell<bool> = const { Cell::new(false) };
}

impl Serialize for Text<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if !REPLACING.get() {
            return s.serialize_str(&self.0);
        }
        let replaced = REPLACE.with(|r| {
            r.try_borrow_mut()
                .ok()
                .and_then(|mut r| r.as_mut().and_then(|f| f(&self.0)))
        });
        match replaced {
            Some(t) => s.serialize_str(&t),
            None => s.serialize_str(&self.0),
        }
    }
}

impl JsonSchema for Text<'_> {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut s = String::json_schema(generator);
        s.insert("x-shown".into(), true.into());
        s
    }
}

/// Runs `run` (which serialises) with every [`Text`] written as `replace` gives it
/// (`None`: unchanged), on this thread only; the previous replacement is restored after.
pub fn replacing<R>(
    replace: impl FnMut(&str) -> Option<String> + 'static,
    run: impl FnOnce() -> R,
) -> R {
    struct Restore(Option<Replace>, bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            REPLACE.with(|r| {
                if let Ok(mut r) = r.try_borrow_mut() {
                    *r = previous;
                }
            });
            REPLACING.set(self.1);
        }
    }
    let previous = REPLACE.with(|r| r.replace(Some(Box::new(replace))));
    let _restore = Restore(previous, REPLACING.replace(true));
    run()
}

/// A text the user wrote, as the model read it: the file (relative to the root) and where
/// the value starts in it.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub file: &'a str,
    pub at: Pos,
    pub text: &'a str,
}

impl Source<'_> {
    /// Where `c` is written, when the text holds it: its first occurrence, counted in
    /// characters from where the value starts (a value that spans lines moves down a line
    /// at each line break of its text).
    pub fn find(&self, c: char) -> Option<Pos> {
        let byte = self.text.find(c)?;
        let before = &self.text[..byte];
        Some(match before.rfind('\n') {
            None => Pos::new(self.at.line, self.at.col + before.chars().count()),
            Some(nl) => Pos::new(
                self.at.line + before.matches('\n').count(),
                1 + before[nl + 1..].chars().count(),
            ),
        })
    }
}

/// Where `c` was first written among `sources` (in their order).
pub fn locate<'a>(sources: &[Source<'a>], c: char) -> Option<(&'a str, Pos)> {
    sources
        .iter()
        .find_map(|s| s.find(c).map(|pos| (s.file, pos)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_replaced_only_inside_replacing() {
        let t = Text::from("张𠀀明");
        let plain = serde_json::to_string(&t).unwrap();
        let replaced = replacing(
            |s| s.contains('𠀀').then(|| s.replace('𠀀', "〓")),
            || serde_json::to_string(&(&t, "𠀀")).unwrap(),
        );
        assert_eq!(plain, "\"张𠀀明\"");
        // Only the Text is replaced: a plain string (an id) is written as it is.
        assert_eq!(replaced, "[\"张〓明\",\"𠀀\"]");
        assert_eq!(serde_json::to_string(&t).unwrap(), plain);
    }

    #[test]
    fn a_character_is_located_from_where_its_value_starts() {
        let s = Source {
            file: "a.yaml",
            at: Pos::new(4, 12),
            text: "张𠀀明",
        };
        assert_eq!(s.find('𠀀'), Some(Pos::new(4, 13)));
        assert_eq!(s.find('x'), None);
        let multi = Source {
            file: "a.yaml",
            at: Pos::new(2, 5),
            text: "第一行\n第二𠀀",
        };
        assert_eq!(multi.find('𠀀'), Some(Pos::new(3, 3)));
        assert_eq!(locate(&[s, multi], '𠀀'), Some(("a.yaml", Pos::new(4, 13))));
    }
}
