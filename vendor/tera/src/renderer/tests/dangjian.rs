//! dangjian patch: lookups through paths split at parse time, and macro output written
//! straight into the page, give what Tera 1.20.1 gave.
use serde_json::json;

use crate::context::Context;
use crate::tera::Tera;

fn render(content: &str, context: &Context) -> String {
    let mut tera = Tera::default();
    tera.add_raw_template("macros.html", "{% macro row(x) %}<b>{{ x.a.b }}</b>{% endmacro %}")
        .unwrap();
    tera.add_raw_template("page.html", &format!("{{% import \"macros.html\" as m %}}{}", content))
        .unwrap();
    tera.render("page.html", context).unwrap()
}

#[test]
fn split_paths_find_what_names_found() {
    let mut ctx = Context::new();
    ctx.insert("items", &json!([{"a": {"b": "x&y"}, "s": "on"}, {"a": {"b": 2}, "s": "off"}]));
    ctx.insert("obj", &json!({"k1": {"v": 1}, "k2": {"v": 2}}));
    ctx.insert("list", &json!([[10, 11], [20, 21]]));
    let cases = [
        // context, array index, nested
        ("{{ items.0.a.b }}|{{ items.1.a.b }}|{{ list.1.0 }}", "x&amp;y|2|20"),
        // loop value and loop variables
        (
            "{% for i in items %}{{ loop.index }}{{ i.a.b }}{{ i.s }}{% if loop.last %}.{% endif %}{% endfor %}",
            "1x&amp;yon22off.",
        ),
        // a loop over a filter's result (the loop owns its values)
        (
            r#"{% set on = items | filter(attribute="s", value="on") %}{% for i in on %}{{ i.a.b }}{% endfor %}"#,
            "x&amp;y",
        ),
        // key/value loops, `set` values with a path, shadowing
        ("{% for k, v in obj %}{{ k }}={{ v.v }};{% endfor %}", "k1=1;k2=2;"),
        ("{% set o = obj.k2 %}{{ o.v }}{% set items = list %}{{ items.0.1 }}", "211"),
        // undefined paths: default, `not`, truthiness
        (
            r#"{{ items.5.a | default(value="none") }}{% if not items.0.zz %}!{% endif %}{% if items.0.a.b %}?{% endif %}"#,
            "none!?",
        ),
        // conditions: truthiness, `not`, undefined names, `and`
        (
            "{% if not items.0.s %}n{% else %}y{% endif %}{% if items.9 %}a{% else %}b{% endif %}{% if not items.9 %}c{% endif %}{% if items.0.s and not items.1.zz %}d{% endif %}{% for i in items %}{% if not loop.first %}e{% endif %}{% endfor %}",
            "ybcde",
        ),
        // macro arguments, macro output in a variable block and in an expression
        ("{{ m::row(x=items.0) }}", "<b>x&amp;y</b>"),
        (r#"{{ m::row(x=items.1) | replace(from="b>", to="i>") }}"#, "&lt;i&gt;2&lt;&#x2F;i&gt;"),
    ];
    for (template, expected) in cases {
        assert_eq!(render(template, &ctx), expected, "{}", template);
    }
}

#[test]
fn an_undefined_split_path_is_the_same_error() {
    let mut tera = Tera::default();
    tera.add_raw_template("page.html", "{{ a.b.c }}").unwrap();
    let mut ctx = Context::new();
    ctx.insert("a", &json!({"b": {}}));
    let err = tera.render("page.html", &ctx).unwrap_err();
    let source = std::error::Error::source(&err).unwrap().to_string();
    assert_eq!(source, "Variable `a.b.c` not found in context while rendering 'page.html'");
}

#[test]
fn break_and_continue_stop_the_body_after_text_and_values() {
    // The loop's state is no longer asked after text and `{{ … }}` nodes: a break or a
    // continue inside an `if` or after a macro call still stops the body
    // at once, and a macro's own loop does not touch the caller's.
    let mut ctx = Context::new();
    ctx.insert("items", &json!([{"a": {"b": 1}}, {"a": {"b": 2}}, {"a": {"b": 3}}]));
    let cases = [
        (
            "{% for i in items %}<{{ i.a.b }}{% if i.a.b == 2 %}{% continue %}{% endif %}|{{ i.a.b }}>{% endfor %}",
            "<1|1><2<3|3>",
        ),
        (
            "{% for i in items %}a{% if i.a.b == 2 %}b{% break %}c{% endif %}d{{ i.a.b }}e{% endfor %}f",
            "ad1eabf",
        ),
        (
            "{% for i in items %}{{ m::row(x=i) }}{% if loop.first %}{% continue %}{% endif %}-{% endfor %}",
            "<b>1</b><b>2</b>-<b>3</b>-",
        ),
    ];
    for (template, expected) in cases {
        assert_eq!(render(template, &ctx), expected, "{template}");
    }
}
