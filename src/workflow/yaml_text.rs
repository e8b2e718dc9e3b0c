//! Writing a text as a YAML scalar that reads back as exactly that text: the quoting the
//! Excel import writes records with (`excel::record`), plain when nothing in the text could
//! be taken for YAML syntax, a number, a boolean, null, or a character the loader strips.

/// `text` as a YAML scalar.
pub fn scalar(text: &str) -> String {
    crate::excel::record::scalar_text(&crate::excel::record::Val::text(text, None)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_back(text: &str) -> String {
        let yaml = format!("name: {}\n", scalar(text));
        let mut diags = Vec::new();
        let node = crate::yaml::parse(&yaml, "t.yaml", &mut diags)
            .unwrap()
            .unwrap();
        let mut r = crate::yaml::Reader::new("t.yaml", &mut diags);
        let entries = r.map(&node, "t").unwrap();
        let got = r.text(&entries[0].value, "name").unwrap();
        assert!(diags.is_empty(), "{yaml}: {diags:?}");
        got
    }

    #[test]
    fn every_text_reads_back_as_itself() {
        for t in [
            "中共临江区委",
            "桥一居民区党支部",
            "a: b",
            "x #y",
            "- 列表",
            "#注释",
            "2026",
            "2026-01-01",
            "0.1",
            "+1",
            "true",
            "No",
            "null",
            "~",
            " 前后有空格 ",
            "引号\"和'单引号",
            "反斜杠\\",
            "换行\n第二行",
            "tab\t",
            "{花括号}",
            "[方括号]",
            "*星号",
            "&锚",
            "!标签",
            "%百分",
            "@at",
            "`反引号",
            "结尾冒号:",
            "中文：冒号",
            "emoji 😀",
        ] {
            assert_eq!(read_back(t), t, "{t:?} as {}", scalar(t));
        }
        assert_eq!(scalar("中共临江区委"), "中共临江区委");
        assert_eq!(scalar("2026"), "\"2026\"");
    }
}
