//! Where the text the reports show was written: the first character of a scalar's value,
//! and every text of an indicator system a report can show. Kept at load time so that a
//! character no font can draw is reported at its line and column without reading the file
//! again.

use crate::diagnostics::Pos;
use crate::yaml::{Kind, Node};

/// Where the value of a text scalar starts: at the node for a plain scalar, one column
/// after the opening quote for a quoted one. (A block scalar's text starts on the next
/// line; it is reported at its indicator, which is as close as a name ever gets to one.)
pub fn text_start(node: &Node) -> Pos {
    match &node.kind {
        Kind::Scalar(s) if !s.plain && !s.text.contains('\n') => {
            Pos::new(node.pos.line, node.pos.col + 1)
        }
        _ => node.pos,
    }
}

/// Every scalar of the tree (keys and values, in file order) that holds more than printable
/// ASCII, with where its text starts: what a report can show of an indicator system. Ids
/// and numbers are ASCII in practice, so this is a handful of labels and guidance texts.
pub fn non_ascii_texts(node: &Node, out: &mut Vec<(Pos, String)>) {
    match &node.kind {
        Kind::Scalar(s) => {
            if !s.text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
                out.push((text_start(node), s.text.clone()));
            }
        }
        Kind::Seq(items) => {
            for n in items {
                non_ascii_texts(n, out);
            }
        }
        Kind::Map(entries) => {
            for e in entries {
                non_ascii_texts(&e.key, out);
                non_ascii_texts(&e.value, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value_of(text: &str) -> Node {
        let mut diags = Vec::new();
        let root = crate::yaml::parse(text, "a.yaml", &mut diags)
            .unwrap()
            .unwrap();
        match root.kind {
            Kind::Map(mut e) => e.remove(0).value,
            _ => panic!("not a map"),
        }
    }

    #[test]
    fn a_value_starts_after_its_quote() {
        // `secretary: 张𠀀明`: the value's first character is column 12.
        assert_eq!(
            text_start(&value_of("secretary: 张𠀀明\n")),
            Pos::new(1, 12)
        );
        assert_eq!(text_start(&value_of("name: \"张𠀀\"\n")), Pos::new(1, 8));
        assert_eq!(text_start(&value_of("name: '张𠀀'\n")), Pos::new(1, 8));
        assert_eq!(text_start(&value_of("a: 1\nname:   x\n")), Pos::new(1, 4));
    }

    #[test]
    fn only_texts_beyond_ascii_are_kept() {
        let mut diags = Vec::new();
        let root = crate::yaml::parse(
            "name: 体系\nscale: 100\ncategories: { rural: 农村, x: y }\n",
            "i.yaml",
            &mut diags,
        )
        .unwrap()
        .unwrap();
        let mut out = Vec::new();
        non_ascii_texts(&root, &mut out);
        assert_eq!(
            out,
            [
                (Pos::new(1, 7), "体系".to_string()),
                (Pos::new(3, 22), "农村".to_string())
            ]
        );
    }
}
