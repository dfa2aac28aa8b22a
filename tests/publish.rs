//! `polku build --out` as people really type it: the mistakes of issue #9,
//! run through the binary in a project folder of its own.

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::snapshot;

/// A project as an editor has it: content, theme, notes, a `.git`.
fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_tree(&common::fixture_content(), &tmp.path().join("content"));
    common::copy_tree(&common::theme(), &tmp.path().join("themes/default"));
    fs::write(tmp.path().join("notes.txt"), "muistiinpanot").unwrap();
    fs::create_dir_all(tmp.path().join(".git")).unwrap();
    fs::write(tmp.path().join(".git/HEAD"), "ref: refs/heads/main").unwrap();
    tmp
}

/// `polku build --out OUT` run inside `project` with its defaults.
fn build_in(project: &Path, out: &str, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_polku"))
        .current_dir(project)
        .args(["build", "--out", out])
        .args(extra)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn mistyped_outputs_are_refused_and_nothing_is_lost() {
    let p = project();
    let root = p.path();
    let before = snapshot(root);
    let parent = root.parent().unwrap().to_string_lossy().into_owned();
    let here = root.to_string_lossy().into_owned();
    for (out, says) in [
        ("content", "is the content folder"),
        ("content/paths", "is inside the content folder"),
        ("./content/", "is the content folder"),
        ("themes/default", "is the theme folder"),
        ("themes", "contains the theme folder"),
        (".", "is the project folder"),
        (here.as_str(), "is the project folder"),
        ("..", "contains the project folder"),
        (parent.as_str(), "contains the project folder"),
        (".git", "is the project's .git folder"),
        ("notes.txt", "is a file, not a folder"),
    ] {
        for force in [&[][..], &["--force"][..]] {
            let o = build_in(root, out, force);
            assert_eq!(o.status.code(), Some(1), "--out {out} {force:?}");
            let err = stderr(&o);
            assert!(err.contains(says), "--out {out}: {err}");
            assert!(err.contains("hint:"), "{err}");
        }
    }
    assert_eq!(snapshot(root), before, "not a byte changed in the project");
    let siblings: Vec<_> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        siblings.len(),
        4,
        "no staging or backup folders: {siblings:?}"
    );
}

#[test]
fn a_gh_pages_checkout_is_refused_then_taken_over_with_force_keeping_hosting_files() {
    let p = project();
    let root = p.path();
    let public = root.join("public");
    fs::create_dir_all(public.join(".git/objects")).unwrap();
    fs::write(public.join(".git/HEAD"), "ref: refs/heads/gh-pages").unwrap();
    fs::write(public.join("CNAME"), "polut.example.fi").unwrap();
    fs::write(public.join("README.md"), "Julkaistu sivusto").unwrap();

    let o = build_in(root, "public", &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("not written by polku"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(
        fs::read_to_string(public.join("README.md")).unwrap(),
        "Julkaistu sivusto"
    );
    assert!(!public.join("fi").exists());

    let o = build_in(root, "public", &["--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(public.join("fi/index.html").is_file());
    assert_eq!(
        fs::read_to_string(public.join("CNAME")).unwrap(),
        "polut.example.fi"
    );
    assert!(public.join(".git/objects").is_dir());
    let err = stderr(&o);
    let backup = root.join(
        err.lines()
            .find_map(|l| l.split(" are in ").nth(1))
            .unwrap_or_else(|| panic!("the backup is named: {err}"))
            .trim_end_matches('.'),
    );
    assert_eq!(
        fs::read_to_string(backup.join("README.md")).unwrap(),
        "Julkaistu sivusto"
    );

    // The next build needs no --force and keeps the hosting files again.
    let o = build_in(root, "public", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("Kept files polku did not write: .git, CNAME."),
        "{}",
        stderr(&o)
    );
}

/// Starts a build that pauses at a test hook, waits for the pause and kills
/// the process there (SIGKILL: no clean-up of any kind).
fn kill_during(project: &Path, out: &str, env: &[(&str, &str)], extra: &[&str]) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_polku"))
        .current_dir(project)
        .args(["build", "--out", out])
        .args(extra)
        .envs(env.iter().copied())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let paused = lines
        .map_while(Result::ok)
        .any(|l| l.starts_with("(test pause"));
    assert!(paused, "the build reached the test hook");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_build_killed_before_the_swap_leaves_the_old_site_and_is_cleaned_up() {
    let p = project();
    let root = p.path();
    assert!(build_in(root, "public", &[]).status.success());
    let old = snapshot(&root.join("public"));
    // Change the content so that the new site differs.
    let fi = root.join("content/paths/ensimmainen/fi.md");
    let text = fs::read_to_string(&fi).unwrap();
    fs::write(
        &fi,
        text.replace("Ensimmäisen vaiheen teksti.", "Uusi teksti."),
    )
    .unwrap();

    kill_during(
        root,
        "public",
        &[("POLKU_TEST_PAUSE_BEFORE_SWAP_MS", "20000")],
        &[],
    );
    assert_eq!(snapshot(&root.join("public")), old, "the old site, whole");
    let leftovers: Vec<_> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.polku-staging-"))
        .collect();
    assert_eq!(leftovers.len(), 1, "the killed build's staging folder");

    let o = build_in(root, "public", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("Cleaned up after an interrupted build"));
    assert!(!root.join(&leftovers[0]).exists());
    let page = fs::read_to_string(root.join("public/fi/ensimmainen-polku/index.html")).unwrap();
    assert!(page.contains("Uusi teksti."));
}

#[test]
fn a_build_killed_between_fallback_renames_is_repaired_by_the_next() {
    // A whole folder is swapped in when polku takes over a foreign one
    // (`--force`). Where the atomic exchange is missing that is two renames;
    // a kill between them leaves the foreign contents beside the output,
    // and the next build moves them to a backup, never deletes them.
    let p = project();
    let root = p.path();
    fs::create_dir_all(root.join("public")).unwrap();
    fs::write(root.join("public/CNAME"), "polut.example.fi").unwrap();
    fs::write(root.join("public/vanha.html"), "old hand-made page").unwrap();
    kill_during(
        root,
        "public",
        &[
            ("POLKU_TEST_NO_EXCHANGE", "1"),
            ("POLKU_TEST_PAUSE_BETWEEN_RENAMES_MS", "20000"),
        ],
        &["--force"],
    );
    let o = build_in(root, "public", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("Cleaned up after an interrupted build"));
    assert!(root.join("public/fi/index.html").is_file());
    let backups: Vec<_> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("public.polku-backup-"))
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(
        fs::read_to_string(backups[0].join("vanha.html")).unwrap(),
        "old hand-made page"
    );
    assert_eq!(
        fs::read_to_string(backups[0].join("CNAME")).unwrap(),
        "polut.example.fi"
    );
    let names: Vec<_> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n.contains(".polku-"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[cfg(unix)]
#[test]
fn an_output_link_to_a_deploy_folder_updates_the_folder_and_keeps_the_link() {
    let p = project();
    let root = p.path();
    let www = tempfile::tempdir().unwrap();
    let site = www.path().join("site");
    fs::create_dir(&site).unwrap();
    std::os::unix::fs::symlink(&site, root.join("public")).unwrap();
    for _ in 0..2 {
        let o = build_in(root, "public", &[]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert!(fs::symlink_metadata(root.join("public"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(site.join("fi/index.html").is_file());
}

/// Every file below `dir` with its inode and modification time.
#[cfg(unix)]
fn stamps(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().unwrap();
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                meta.ino(),
                meta.modified().unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[cfg(unix)]
#[test]
fn a_rebuild_of_unchanged_content_touches_no_file_and_an_edit_rewrites_only_its_pages() {
    let p = project();
    let first = build_in(p.path(), "public", &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let out = p.path().join("public");
    let manifest = ".polku-manifest.json";
    let folder = {
        use std::os::unix::fs::MetadataExt;
        || fs::metadata(p.path().join("public")).unwrap().ino()
    };
    let folder_before = folder();
    let before = stamps(&out);
    // Past the file system's timestamp granularity, so a rewrite would show.
    std::thread::sleep(std::time::Duration::from_millis(1100));

    let again = build_in(p.path(), "public", &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("all unchanged"),
        "{}",
        stderr(&again)
    );
    let after = stamps(&out);
    let site_files = |v: &[(PathBuf, u64, std::time::SystemTime)]| {
        v.iter()
            .filter(|(p, _, _)| p != Path::new(manifest))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        before, after,
        "a file was rewritten (inode or mtime changed) although its bytes did not; the manifest too"
    );

    // An edit to one Finnish text: that path's Finnish page and what lists
    // it change; every other file keeps its inode and mtime.
    let md = p.path().join("content/paths/ensimmainen/fi.md");
    let text = fs::read_to_string(&md).unwrap();
    fs::write(
        &md,
        text.replacen("Ensimmäisen vaiheen teksti.", "Muokattu teksti.", 1),
    )
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let edited = build_in(p.path(), "public", &[]);
    assert!(edited.status.success(), "{}", stderr(&edited));
    let changed: Vec<PathBuf> = site_files(&stamps(&out))
        .into_iter()
        .zip(site_files(&after))
        .filter(|(new, old)| new != old)
        .map(|(new, _)| new.0)
        .collect();
    assert!(
        changed.contains(&PathBuf::from("fi/ensimmainen-polku/index.html")),
        "{changed:?}"
    );
    assert!(
        !changed.iter().any(|f| f.starts_with("sv/")),
        "a Finnish edit rewrote Swedish pages: {changed:?}"
    );
    assert!(changed.len() < 10, "{changed:?}");
    let page = fs::read_to_string(out.join("fi/ensimmainen-polku/index.html")).unwrap();
    assert!(page.contains("Muokattu teksti."));
    // Updated in place: a web server or container mount holding the
    // folder sees the new pages.
    assert_eq!(folder(), folder_before);
}

#[test]
fn a_template_error_found_while_pages_are_written_leaves_the_old_site() {
    let p = project();
    let first = build_in(p.path(), "public", &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let out = p.path().join("public");
    let before = snapshot(&out);
    // Only the channel pages use this template: the error comes after many
    // pages have already gone to the staging folder.
    let template = p.path().join("themes/default/templates/channel.html");
    let text = fs::read_to_string(&template).unwrap();
    fs::write(&template, text.replacen("{{", "{{ no_such_value.x ~ ", 1)).unwrap();
    let failed = build_in(p.path(), "public", &[]);
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    assert!(
        stderr(&failed).contains("channel.html"),
        "{}",
        stderr(&failed)
    );
    assert!(
        stderr(&failed).contains("Nothing was written"),
        "{}",
        stderr(&failed)
    );
    assert_eq!(snapshot(&out), before);
    let leftovers: Vec<_> = fs::read_dir(p.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("polku-staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
