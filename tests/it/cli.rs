//! The command line speaks Chinese: the help, the usage lines and the errors of common mistakes
//! (a misspelt command or option, a missing value, a wrong date, an unknown option), with the
//! suggestion clap finds, and exit code 2 for every mistake.

use crate::harness::Fixture;

/// Runs `gongkai <args>` in an empty folder; asserts the exit code and returns what it printed
/// (stdout for help, stderr for errors).
fn run(args: &[&str], code: i32) -> String {
    let run = Fixture::empty().run(args);
    run.expect_code(code);
    if code == 0 {
        run.stdout()
    } else {
        run.stderr()
    }
}

#[test]
fn help_is_in_chinese() {
    let top = run(&["--help"], 0);
    insta::assert_snapshot!("help", top);
    let build = run(&["build", "--help"], 0);
    insta::assert_snapshot!("help_build", build);
    for text in [&top, &build] {
        for english in [
            "Usage",
            "Options",
            "Commands",
            "Print help",
            "[default",
            "Arguments",
        ] {
            assert!(!text.contains(english), "{english} in:\n{text}");
        }
    }
}

#[test]
fn common_mistakes_are_explained_in_chinese() {
    let mistakes = [
        ("misspelt_command", vec!["chek"]),
        ("misspelt_option", vec!["build", "--ouput", "site"]),
        ("missing_value", vec!["build", "--root"]),
        ("bad_date", vec!["check", "--as-of", "2025/6/3"]),
        ("unknown_option", vec!["check", "--foo"]),
    ];
    for (name, args) in mistakes {
        let err = run(&args, 2);
        for english in ["error:", "Usage", "unexpected", "For more information"] {
            assert!(!err.contains(english), "{english} in:\n{err}");
        }
        insta::assert_snapshot!(name, err);
    }
}
