//! The typst version check: a clear Chinese message when typst is missing or of the
//! wrong version. One test in its own binary, because it sets `DANGJIAN_TYPST`.

use dangjian::render::pdf::{self, PdfOptions};
use std::path::Path;

mod pdf_support;

#[test]
fn missing_or_wrong_typst_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();

    // Missing.
    let missing = dir.path().join("no-typst-here");
    // SAFETY: this test binary has a single test; nothing else reads the environment.
    unsafe { std::env::set_var("DANGJIAN_TYPST", &missing) };
    let d = pdf::check_typst().expect_err("missing typst");
    assert!(d.is_error());
    assert!(d.message.contains("找不到 typst"), "{d}");
    assert!(d.message.contains("0.15"), "{d}");
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .contains("cargo install typst-cli --version 0.15.1"),
        "{d}"
    );

    // Wrong version.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let fake = dir.path().join("typst");
        std::fs::write(&fake, "#!/bin/sh\necho 'typst 0.13.1 (8ace67d9)'\n").unwrap();
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
        unsafe { std::env::set_var("DANGJIAN_TYPST", &fake) };
        let d = pdf::check_typst().expect_err("wrong version");
        assert!(d.message.contains("typst 版本不符"), "{d}");
        assert!(d.message.contains("0.13.1"), "{d}");
        assert!(d.message.contains("0.15.x"), "{d}");

        // `render` refuses before writing anything.
        let staging = dir.path().join("staging");
        std::fs::create_dir_all(&staging).unwrap();
        let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/fonts");
        let opts = PdfOptions {
            theme_typst: vec![("booklet.typ".into(), b"".to_vec())],
            font_dir: &fonts,
        };
        let outputs = dangjian::render::reuse::Outputs::open(None);
        let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden");
        let errs = pdf_support::with_jobs(&golden, |jobs| {
            pdf::render(&jobs[..1], &opts, &outputs, &staging).expect_err("refused")
        });
        assert!(errs[0].message.contains("typst 版本不符"));
        assert_eq!(std::fs::read_dir(&staging).unwrap().count(), 0);
    }
}
