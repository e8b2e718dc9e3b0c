//! Every syntax error yaml-rust2 can give, at the place of its cause: one line per case,
//! with the line and column a user should look at (1-based, columns in characters).

use crate::diagnostics::Pos;
use crate::yaml::parse;

/// (text, line, column, part of the message)
const CASES: &[(&str, usize, usize, &str)] = &[
    // A tab used as indentation: at the tab, not at the value before it.
    ("a: 1\n\tb: 2\n", 2, 1, "制表符"),
    ("a:\n\tb: 2\n", 2, 1, "制表符"),
    ("a:\n  b: 1\n\tc: 2\n", 3, 1, "制表符"),
    ("a:\n  - 1\n\t- 2\n", 3, 1, "制表符"),
    ("a: x\n\tb\n", 2, 1, "制表符"),
    ("a: |\n\tx\n", 2, 1, "制表符"),
    ("a:\n  b: 1\n  \tc: 2\n", 3, 3, "制表符"),
    (
        "name: 桥一\nmeetings:\n  - date: 2026-01-08\n\tkind: x\n",
        4,
        1,
        "制表符",
    ),
    // A tab after an indicator.
    ("a: 1\nb:\t2\n", 2, 3, "冒号后用了制表符"),
    // Quotes never closed: at the opening quote.
    ("a: \"abc\n", 1, 4, "引号 \" 没有闭合"),
    ("a: 'abc\n", 1, 4, "引号 ' 没有闭合"),
    ("名称: 桥一\nb: '未闭合\n", 2, 4, "没有闭合"),
    ("a: \"x\n---\n\"\n", 2, 1, "引号没有闭合"),
    // Bad escapes: at the backslash.
    ("a: \"\\q\"\n", 1, 5, "`\\q`"),
    ("a: \"\\x4\"\n", 1, 5, "`\\x`"),
    ("a: \"ok \\u12G4\"\n", 1, 8, "`\\u`"),
    ("a: \"ok \\ud800\"\n", 1, 8, "`\\u`"),
    ("a: \"好 ok\" \nb: \"ok \\z\"\n", 2, 8, "`\\z`"),
    // Brackets never closed: at the bracket.
    ("a: [1, 2\nb: 3\n", 1, 4, "`[` 没有闭合"),
    ("a: {x: 1\n", 1, 4, "`{` 没有闭合"),
    ("a: [x, \n  y\n", 1, 4, "`[` 没有闭合"),
    ("a:\n  - [1, 2\n  - 3\n", 2, 5, "`[` 没有闭合"),
    // Inner brackets closed, the outer one not: still the outer bracket.
    ("a: [[]\nb: 1\n", 1, 4, "`[` 没有闭合"),
    ("name: x\na: [[[], []]\nb: 1\n", 2, 4, "`[` 没有闭合"),
    ("a: {b: [], c: {}\nd: 1\n", 1, 4, "`{` 没有闭合"),
    ("a: [1,\n2]\n", 2, 1, "缩进不足"),
    ("a: [x: 1: 2]\n", 1, 10, "应为 `,`"),
    ("a: [,]\n", 1, 5, "缺少一个值"),
    ("a: ]\n", 1, 4, "缺少一个值"),
    // A colon where no key may start.
    ("a: b: c\n", 1, 5, "值中含有 `: `"),
    ("a: b\n  c: d\n", 2, 3, "缩进过深"),
    ("a: 1\n  b: 2\n", 2, 3, "缩进过深"),
    ("a:\n- b\n- c\n d: 1\n", 4, 2, "缩进过深"),
    ("key with no colon\nb: 1\n", 1, 1, "既不是"),
    ("a: b\nc\n", 2, 1, "既不是"),
    ("a: 1\n党支部名称 桥一\nc: 2\n", 2, 1, "既不是"),
    // Mappings and sequences mixed or misaligned.
    ("- a\nb: 1\n", 2, 1, "每一项应以 `- ` 开头"),
    ("a:\n  - x\n  y: 1\n", 3, 3, "每一项应以 `- ` 开头"),
    ("a: 1\n- b\n", 2, 1, "列表项"),
    ("a:\n  b: 1\n c: 2\n", 3, 2, "缩进不一致"),
    ("a:\n  b:\n    c: 1\n   d: 2\n", 4, 4, "缩进不一致"),
    ("a: |\n  x\n y\n", 3, 2, "缩进不一致"),
    ("a: - b\n", 1, 4, "列表项 `- ` 不能出现在这里"),
    // Something left after a complete value.
    ("a: \"x\"y\n", 1, 7, "引号闭合之后"),
    ("a: [x]y\n", 1, 7, "多余的内容"),
    ("a: [1, 2]]\n", 1, 10, "多余的内容"),
    ("a: &a &b x\n", 1, 7, "多余的内容"),
    ("a: \"x\"#c\n", 1, 7, "`#` 前需要空格"),
    // Characters that cannot start a value.
    ("a: @x\n", 1, 4, "`@`"),
    ("a: `x\n", 1, 4, "```"),
    ("a: *nope\n", 1, 4, "未定义的锚点"),
    ("a: & x\n", 1, 4, "锚点或别名"),
    ("a: [-,x]\n", 1, 5, "`-`"),
    // Block scalars: at the indicator after `|`.
    ("a: |0\n  x\n", 1, 5, "多行文字"),
    ("a: |x\n  y\n", 1, 5, "多行文字"),
    // Tags, directives, more than one document.
    ("a: !<foo bar\n", 1, 4, "标签"),
    ("a: !foo!bar x\n", 1, 4, "标签"),
    ("a: !x!\n", 1, 4, "标签"),
    ("%FOO\na: 1\n", 1, 1, "指令"),
    ("%YAML 1.2\n%YAML 1.2\n---\na: 1\n", 2, 1, "指令"),
    ("a: x\n... x\n", 2, 5, "`...`"),
];

#[test]
fn every_syntax_error_is_placed_at_its_cause() {
    let mut wrong = Vec::new();
    for &(text, line, col, msg) in CASES {
        let mut d = Vec::new();
        match parse(text, "t.yaml", &mut d) {
            Err(e) => {
                if e.pos != Pos::new(line, col)
                    || !e.message.contains(msg)
                    || !e.message.starts_with("YAML 语法错误：")
                {
                    wrong.push(format!(
                        "{text:?}: {}:{} {} (expected {line}:{col} …{msg}…)",
                        e.pos.line, e.pos.col, e.message
                    ));
                }
                assert!(e.hint.is_some(), "{text:?} has no hint");
            }
            Ok(_) => wrong.push(format!("{text:?}: accepted")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The errors of the node tree itself (not yaml-rust2's): tags, more than one document.
#[test]
fn tree_errors_are_placed_at_their_cause() {
    for (text, line, col, msg) in [
        ("a: !!int\n", 1, 4, "标签"),
        ("a: 1\nb: !!binary abc\n", 2, 4, "标签"),
        ("a: 1\n---\nb: 2\n", 2, 1, "一个 YAML 文档"),
        ("---\na: 1\n---\nb: 2\n", 3, 1, "一个 YAML 文档"),
        ("a: 1\n...\nb: 2\n", 2, 1, "一个 YAML 文档"),
    ] {
        let mut d = Vec::new();
        let e = parse(text, "t.yaml", &mut d).unwrap_err();
        assert_eq!(
            (e.pos, e.message.contains(msg)),
            (Pos::new(line, col), true),
            "{text:?}: {e:?}"
        );
    }
}

/// Every message yaml-rust2 0.10 can produce has Chinese words; an unknown one keeps its
/// position and shows the parser's own words in the hint.
#[test]
fn unknown_messages_keep_the_marker() {
    let t = super::Text::new("a: b\n");
    let told = super::explain(&t, 3, "something new");
    assert_eq!(told.at, 3);
    assert!(told.hint.unwrap().contains("something new"));
}
