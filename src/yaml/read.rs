//! Typed reading of positioned nodes: every mismatch becomes a diagnostic at the node's
//! position, and reading goes on so that one run reports every error in a file.

use std::fmt::Display;

use rust_decimal::Decimal;

use super::node::{Entry, Kind, Node};
use crate::decimal::{self, NumberError};
use crate::diagnostics::{Diagnostic, Pos};
use crate::suggest;

/// What a scalar means under the YAML 1.2 core schema.
#[derive(Debug, Clone, PartialEq)]
pub enum ScalarValue {
    Null,
    Bool(bool),
    Number(Decimal),
    Text(String),
}

/// Collects the diagnostics of one file while its nodes are read.
pub struct Reader<'d> {
    pub path: String,
    pub diags: &'d mut Vec<Diagnostic>,
}

/// The entries of a mapping whose keys were checked against a list of known fields.
pub struct Fields<'n> {
    pub pos: Pos,
    entries: &'n [Entry],
}

impl<'n> Fields<'n> {
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|e| e.key_text() == key)
            .map(|e| &e.value)
            .filter(|n| !n.is_null())
    }

    pub fn key_pos(&self, key: &str) -> Option<Pos> {
        self.entries
            .iter()
            .find(|e| e.key_text() == key)
            .map(|e| e.key.pos)
    }
}

impl<'d> Reader<'d> {
    pub fn new(path: &str, diags: &'d mut Vec<Diagnostic>) -> Reader<'d> {
        Reader {
            path: path.to_string(),
            diags,
        }
    }

    pub fn error(&mut self, pos: Pos, message: impl Into<String>) -> &mut Diagnostic {
        self.diags.push(Diagnostic::error(&self.path, pos, message));
        self.diags.last_mut().expect("just pushed")
    }

    pub fn warning(&mut self, pos: Pos, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::warning(&self.path, pos, message));
    }

    pub fn err_hint(&mut self, pos: Pos, message: impl Into<String>, hint: Option<String>) {
        self.diags
            .push(Diagnostic::error(&self.path, pos, message).with_hint_opt(hint));
    }

    pub fn map<'n>(&mut self, node: &'n Node, what: impl Display) -> Option<&'n [Entry]> {
        match &node.kind {
            Kind::Map(entries) => Some(entries),
            _ if node.is_null() => Some(&[]),
            _ => {
                self.error(node.pos, format!("{what}应为映射（键: 值）"));
                None
            }
        }
    }

    pub fn seq<'n>(&mut self, node: &'n Node, what: impl Display) -> Option<&'n [Node]> {
        match &node.kind {
            Kind::Seq(items) => Some(items),
            _ if node.is_null() => Some(&[]),
            _ => {
                self.error(node.pos, format!("{what}应为列表"));
                None
            }
        }
    }

    /// A mapping with a fixed set of fields: unknown keys are errors with the nearest valid
    /// name, required keys that are absent (or null) are errors at the mapping.
    pub fn fields<'n>(
        &mut self,
        node: &'n Node,
        what: impl Display,
        allowed: &[&str],
        required: &[&str],
    ) -> Option<Fields<'n>> {
        let entries = self.map(node, &what)?;
        // A required field written misspelt is one error, at the misspelling (whose hint
        // names the field), not also a missing field at the mapping.
        let mut misspelt: Vec<&str> = Vec::new();
        for e in entries {
            let key = e.key_text();
            if !allowed.contains(&key) {
                let hint = suggest::hint(key, allowed.iter().copied());
                misspelt.extend(suggest::nearest(key, allowed.iter().copied()));
                self.err_hint(e.key.pos, format!("{what}中有未知字段 `{key}`"), hint);
            }
        }
        let fields = Fields {
            pos: node.pos,
            entries,
        };
        for r in required {
            if fields.get(r).is_none() && !misspelt.contains(r) {
                let at = fields.key_pos(r).unwrap_or(node.pos);
                self.error(at, format!("{what}缺少必填字段 `{r}`"));
            }
        }
        Some(fields)
    }

    pub fn scalar(&mut self, node: &Node, what: impl Display) -> Option<ScalarValue> {
        match &node.kind {
            Kind::Scalar(s) => Some(classify(&s.text, s.plain)),
            _ => {
                self.error(node.pos, format!("{what}应为单个值，而不是列表或映射"));
                None
            }
        }
    }

    /// Free text: any scalar but null. Numbers and booleans are taken as written.
    pub fn text(&mut self, node: &Node, what: impl Display) -> Option<String> {
        match &node.kind {
            Kind::Scalar(s) if !node.is_null() => Some(s.text.clone()),
            Kind::Scalar(_) => {
                self.error(node.pos, format!("{what}不能为空"));
                None
            }
            _ => {
                self.error(node.pos, format!("{what}应为文本"));
                None
            }
        }
    }

    /// Text that is not blank.
    pub fn nonblank(&mut self, node: &Node, what: impl Display) -> Option<String> {
        let t = self.text(node, &what)?;
        if t.trim().is_empty() {
            self.error(node.pos, format!("{what}不能为空白"));
            return None;
        }
        Some(t)
    }

    pub fn number(&mut self, node: &Node, what: impl Display) -> Option<Decimal> {
        let Kind::Scalar(s) = &node.kind else {
            self.error(node.pos, format!("{what}应为数字"));
            return None;
        };
        if !s.plain {
            let hint = decimal::looks_numeric(&s.text).then(|| "去掉引号".to_string());
            self.err_hint(
                node.pos,
                format!("{what}应为数字，而不是文本 \"{}\"", s.text),
                hint,
            );
            return None;
        }
        match decimal::parse(&s.text) {
            Ok(v) => Some(v),
            Err(e) => {
                let msg = match e {
                    NumberError::NotANumber => format!("{what}应为数字，而不是 `{}`", s.text),
                    NumberError::NotFinite => format!("{what}必须是有限的数"),
                    NumberError::OutOfRange => {
                        format!("{what}超出范围（绝对值不超过 {}）", decimal::MAX_MAGNITUDE)
                    }
                    NumberError::TooPrecise => format!(
                        "{what}小数位过多（最多 {} 位）",
                        decimal::MAX_FRACTION_DIGITS
                    ),
                };
                self.error(node.pos, msg);
                None
            }
        }
    }

    /// A whole number not below `min`.
    pub fn whole(&mut self, node: &Node, what: impl Display, min: i64) -> Option<Decimal> {
        let v = self.number(node, &what)?;
        // Written without a decimal point (scale 0), as counts are: whole without asking.
        if v.scale() != 0 && !decimal::is_whole(v) {
            self.error(
                node.pos,
                format!("{what}应为整数，而不是 {}", decimal::show(v)),
            );
            return None;
        }
        if v < Decimal::from(min) {
            self.error(
                node.pos,
                format!("{what}不能小于 {min}（现为 {}）", decimal::show(v)),
            );
            return None;
        }
        Some(v)
    }

    pub fn boolean(&mut self, node: &Node, what: impl Display) -> Option<bool> {
        match self.scalar(node, &what)? {
            ScalarValue::Bool(b) => Some(b),
            _ => {
                self.error(node.pos, format!("{what}应为 true 或 false"));
                None
            }
        }
    }
}

/// YAML 1.2 core schema: only plain scalars resolve to null, booleans and numbers
/// (`yes`, `no`, `on` and `off` stay text, unlike YAML 1.1).
pub fn classify(text: &str, plain: bool) -> ScalarValue {
    if !plain {
        return ScalarValue::Text(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => ScalarValue::Null,
        "true" | "True" | "TRUE" => ScalarValue::Bool(true),
        "false" | "False" | "FALSE" => ScalarValue::Bool(false),
        _ => match decimal::parse(text) {
            Ok(v) => ScalarValue::Number(v),
            Err(NumberError::NotANumber) => ScalarValue::Text(text.to_string()),
            // A number the tool cannot hold stays text here; `number()` reports it.
            Err(_) => ScalarValue::Text(text.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    #[test]
    fn unknown_and_missing_fields() {
        let mut d = Vec::new();
        let root = parse("nmae: x\nkind: y\n", "t.yaml", &mut d)
            .unwrap()
            .unwrap();
        let mut r = Reader::new("t.yaml", &mut d);
        let f = r
            .fields(&root, "组织", &["name", "kind"], &["name"])
            .unwrap();
        assert!(f.get("kind").is_some());
        // The misspelling is the one error: `name` is not also missing.
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("nmae"));
        assert_eq!(d[0].hint.as_deref(), Some("是否应为 `name`？"));
        // A required field nothing resembles is missing.
        let mut d = Vec::new();
        let root = parse(
            "zzz: x
kind: y
",
            "t.yaml",
            &mut d,
        )
        .unwrap()
        .unwrap();
        let mut r = Reader::new("t.yaml", &mut d);
        r.fields(&root, "组织", &["name", "kind"], &["name"]);
        assert_eq!(d.len(), 2);
        assert!(d[1].message.contains("缺少必填字段 `name`"));
    }

    #[test]
    fn numbers_booleans_and_text() {
        assert_eq!(classify("yes", true), ScalarValue::Text("yes".into()));
        assert_eq!(classify("True", true), ScalarValue::Bool(true));
        assert_eq!(classify("12", false), ScalarValue::Text("12".into()));
        assert_eq!(classify("~", true), ScalarValue::Null);
        let mut d = Vec::new();
        let root = parse("a: '5'\nb: 2.5\nc: -1\n", "t.yaml", &mut d)
            .unwrap()
            .unwrap();
        let Kind::Map(e) = &root.kind else { panic!() };
        let mut r = Reader::new("t.yaml", &mut d);
        assert_eq!(r.number(&e[0].value, "a"), None);
        assert_eq!(r.whole(&e[1].value, "b", 0), None);
        assert_eq!(r.whole(&e[2].value, "c", 0), None);
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].hint.as_deref(), Some("去掉引号"));
    }
}
