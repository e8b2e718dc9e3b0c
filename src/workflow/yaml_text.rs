//! Writing a text as a YAML scalar that reads back as exactly that text: plain when nothing
//! in it could be taken for YAML syntax, a number, a date, a boolean or null; otherwise
//! double-quoted with JSON's escapes (a double-quoted YAML scalar accepts every one of them).

/// `text` as a YAML scalar.
pub fn scalar(text: &str) -> String {
    if plain_is_safe(text) {
        text.to_string()
    } else {
        serde_json::to_string(text).unwrap_or_else(|_| format!("\"{}\"", text.escape_default()))
    }
}

fn plain_is_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    // Indicators that start YAML syntax, and anything a resolver might read as a number,
    // a date or a sign: such texts are quoted, as are spaces at either end.
    if "-?:,[]{}#&*!|>'\"%@`+.~".contains(first) || first.is_ascii_digit() {
        return false;
    }
    if text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) {
        return false;
    }
    if text.chars().any(|c| c.is_control() || c == '\u{feff}')
        || text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
    {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | ".nan" | ".inf"
    )
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
