//! The progress display of `build` end to end: drawn on a terminal (a pseudo-terminal made
//! by util-linux `script`) and cleared before the first diagnostic; silent when standard
//! error is not a terminal, and silent with `--quiet` even on a terminal, the diagnostics
//! printed all the same.

mod common;

use std::path::Path;
use std::process::Command;

use common::{run, stderr, stdout};

fn build_args(root: &Path) -> Vec<String> {
    vec![
        "build".into(),
        "--root".into(),
        root.display().to_string(),
        "--out".into(),
        root.join("site").display().to_string(),
        "--no-pdf".into(),
    ]
}

/// What a terminal shows while `dangjian args` runs on it (stdout and stderr together), or
/// `None` when `script` is not installed.
fn on_a_terminal(args: &[String]) -> Option<String> {
    let mut line = shell_quote(env!("CARGO_BIN_EXE_dangjian"));
    for a in args {
        line.push(' ');
        line.push_str(&shell_quote(a));
    }
    let o = Command::new("script")
        .args(["-q", "-e", "-c", &line, "/dev/null"])
        .env_remove("DANGJIAN_TIMINGS")
        .output()
        .ok()?;
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    Some(stdout(&o))
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Signs of a drawn bar: a stage label with its bar, a carriage return that does not end a
/// line (a terminal ends lines with CR LF), an escape sequence.
fn has_bar(text: &str) -> bool {
    text.contains("生成网页 [")
        || text.contains("计分 [")
        || text.contains("读取文件 [")
        || text.contains("生成 PDF [")
        || text.replace("\r\n", "\n").contains('\r')
        || text.contains('\u{1b}')
}

#[test]
fn a_terminal_sees_the_bar_cleared_before_the_diagnostics() {
    // A debug build of the example's site takes well over the half second after which the
    // bar appears.
    let project = common::copy_example();
    let Some(screen) = on_a_terminal(&build_args(project.path())) else {
        eprintln!("script (util-linux) is not installed: no pseudo-terminal");
        return;
    };
    // The pages stage with its count and the time left.
    assert!(screen.contains("生成网页 ["), "{screen:?}");
    assert!(screen.contains("剩余约"), "{screen:?}");
    let counted = screen.split("] ").skip(1).any(|s| {
        s.split_once('/')
            .is_some_and(|(done, _)| done.parse::<u32>().is_ok())
    });
    assert!(counted, "{screen:?}");
    // Cleared (carriage return, erase the line) before the first diagnostic, and never
    // drawn again after it.
    let first = screen.find("warning:").expect("the example has warnings");
    let last_bar = screen.rfind("生成网页 [").unwrap();
    assert!(last_bar < first);
    assert!(
        screen[last_bar..first].contains("\r\u{1b}[2K"),
        "{screen:?}"
    );
    assert!(
        !has_bar(&screen[first..].replace("\r\n", "\n")),
        "{screen:?}"
    );
}

#[test]
fn silent_when_standard_error_is_not_a_terminal() {
    let project = common::copy_example();
    let args = build_args(project.path());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!has_bar(&err), "{err:?}");
    // Only the diagnostics and the summary, each on a line of its own.
    assert!(err.contains("warning:"), "{err}");
    assert!(err.contains("已生成"), "{err}");
    assert!(stdout(&o).is_empty());
}

#[test]
fn silent_with_quiet_even_on_a_terminal() {
    let project = common::copy_example();
    let mut args = build_args(project.path());
    args.push("--quiet".into());
    let Some(screen) = on_a_terminal(&args) else {
        eprintln!("script (util-linux) is not installed: no pseudo-terminal");
        return;
    };
    let text = screen.replace("\r\n", "\n");
    assert!(!has_bar(&text), "{screen:?}");
    // The diagnostics are still printed; the summary is not.
    assert!(text.contains("warning:"), "{text}");
    assert!(!text.contains("已生成"), "{text}");
    assert!(project.path().join("site/index.html").is_file());
}
